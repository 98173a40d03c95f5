package dev.egnytebridge.api;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.InstanceRequestBody;
import dev.egnytebridge.poller.PipelineTestSupport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /openapi.json} of the running bridge: a standard validator (swagger-parser) accepts it without a single
 * message, it documents exactly the REST verbs of the context (the setup page's and its own left out), and every
 * operation carries what a client generator needs: parameters with types, request and response schemas, errors, the
 * Authorization scheme; the notification a callback receives is its webhook.
 */
class OpenApiDocumentTest extends PipelineTestSupport {

    private String body;
    private JsonNode document;
    private OpenAPI api;

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        // where Egnyte's webhooks reach this bridge: an instance in webhooks mode needs it
        p.setProperty("bridge.public-base-url", baseUrl());
        return p;
    }

    /** Fetched once, at the first test: the bridge starts before each test method runs, not before {@code @BeforeAll}. */
    @BeforeEach
    void fetch() throws Exception {
        if (api != null) {
            return;
        }
        HttpResponse<String> response = get("/openapi.json", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        body = response.body();
        document = JSON.readTree(body);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(body, null, options);
        assertThat(result.getMessages()).as("swagger-parser's messages").isEmpty();
        // the same document with every $ref inlined, for the assertions on each operation
        options.setResolveFully(true);
        result = new OpenAPIV3Parser().readContents(body, null, options);
        assertThat(result.getMessages()).as("swagger-parser's messages, references resolved").isEmpty();
        api = result.getOpenAPI();
        assertThat(api).isNotNull();
    }

    @Test
    void isValidOpenApi31ServedWithTheCallersBaseUrl() {
        assertThat(api.getOpenapi()).startsWith("3.1");
        assertThat(api.getServers()).hasSize(1);
        assertThat(api.getServers().get(0).getUrl()).isEqualTo(baseUrl());
        assertThat(OpenApiDocument.baseUrl("bridge.example.com", "https")).isEqualTo("https://bridge.example.com");
        assertThat(OpenApiDocument.baseUrl("bridge.example.com:8080", null)).isEqualTo("http://bridge.example.com:8080");
        assertThat(OpenApiDocument.baseUrl("evil\"host/x", null)).isEqualTo("/");
    }

    @Test
    void theServerIsBridgePublicBaseUrlWhenItIsSetWhateverTheHostHeaderSays() throws Exception {
        OpenApiDocument configured = new OpenApiDocument(new com.fasterxml.jackson.databind.ObjectMapper(),
                getClass().getClassLoader(), "openapi/openapi.json", "https://bridge.example.com/");
        org.apache.camel.Message out = new org.apache.camel.support.DefaultMessage(context);

        configured.serve("internal-node-7:8080", null, out);

        assertThat(JSON.readTree((byte[]) out.getBody()).path("servers").get(0).path("url").asText())
                .isEqualTo("https://bridge.example.com");
    }

    @Test
    void listsExactlyTheDocumentedRestVerbsOfTheContextAndNoUiPaths() {
        Set<String> documented = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));

        Set<String> registered = new TreeSet<>();
        Set<String> hidden = new TreeSet<>();
        for (RestDefinition rest : ((ModelCamelContext) context).getRestDefinitions()) {
            String base = rest.getPath() == null ? "" : rest.getPath();
            for (VerbDefinition verb : rest.getVerbs()) {
                String path = (base + "/" + (verb.getPath() == null ? "" : verb.getPath())).replaceAll("/+", "/");
                String key = verb.asVerb().toUpperCase() + " "
                        + (path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
                ("false".equals(verb.getApiDocs()) ? hidden : registered).add(key);
            }
        }
        assertThat(hidden).containsExactlyInAnyOrder("GET /", "GET /ui/{file}", "GET /openapi.json");
        assertThat(registered).contains("POST /instances", "GET /hubs/documents/events");
        assertThat(documented).isEqualTo(registered);
    }

    @Test
    void everyOperationHasTypedParametersSchemasAndErrors() {
        List<String> problems = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String name = method + " " + path;
            List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
            for (String segment : path.split("/")) {
                if (segment.startsWith("{")) {
                    String param = segment.substring(1, segment.length() - 1);
                    Parameter p = parameters.stream().filter(x -> x.getName().equals(param) && "path".equals(x.getIn()))
                            .findFirst().orElse(null);
                    if (p == null) {
                        problems.add(name + ": no path parameter " + param);
                    } else if (param.equals("id") || param.equals("configurationId")) {
                        if (!p.getSchema().getTypes().contains("integer")) {
                            problems.add(name + ": " + param + " is not an integer");
                        }
                    }
                }
            }
            boolean answersContent = false;
            for (Map.Entry<String, ApiResponse> response : operation.getResponses().entrySet()) {
                if (response.getKey().startsWith("2") && response.getValue().getContent() != null
                        && response.getValue().getContent().get("application/json").getSchema() != null) {
                    answersContent = true;
                }
            }
            if (!answersContent && !(method == PathItem.HttpMethod.DELETE && path.equals("/instances/{id}"))) {
                problems.add(name + ": no 2xx JSON schema");
            }
            for (String error : List.of("401", "500")) {
                if (!operation.getResponses().containsKey(error)) {
                    problems.add(name + ": no " + error);
                }
            }
            if (path.contains("{") && !operation.getResponses().containsKey("404")) {
                problems.add(name + ": no 404");
            }
            boolean takesBody = method == PathItem.HttpMethod.PUT && !path.endsWith("/enabled")
                    || method == PathItem.HttpMethod.PATCH
                    || method == PathItem.HttpMethod.POST && !path.endsWith("/retry") && !path.endsWith("/push");
            if (takesBody && (operation.getRequestBody() == null
                    || operation.getRequestBody().getContent().get("application/json").getSchema() == null)) {
                problems.add(name + ": no request body schema");
            }
        }));
        assertThat(problems).isEmpty();

        assertThat(queryParameters("/instances", "get")).containsExactly("tags[]");
        assertThat(queryParameters("/instances/{id}/events", "get")).containsExactlyInAnyOrder(
                "page", "pageSize", "status", "since", "until");
        assertThat(queryParameters("/instances/events", "get")).containsExactlyInAnyOrder("page", "pageSize");
        assertThat(queryParameters("/instances/{id}/gaps", "get")).containsExactlyInAnyOrder("page", "pageSize");
        assertThat(queryParameters("/instances/{id}/activity", "get")).containsExactly("hours");
        assertThat(queryParameters("/elements/{key}/oauth/url", "get")).containsExactlyInAnyOrder(
                "apiKey", "apiSecret", "callbackUrl", "state", "subdomain", "vendorType");
        assertThat(queryParameters("/hubs/documents/events", "get")).containsExactlyInAnyOrder("pageSize", "nextPage");
    }

    @Test
    void schemasCarryTheSeedsShapesTheErrorAndTheAuthorizationScheme() {
        JsonNode schemas = document.path("components").path("schemas");
        assertThat(schemas.path("Error").path("required").toString()).isEqualTo("[\"message\"]");
        assertThat(schemas.path("Error").path("properties").has("field")).isTrue();
        assertThat(schemas.path("Instance").path("properties").path("id").path("type").asText()).isEqualTo("integer");
        for (String shape : List.of("Instance", "InstanceRequest", "InstancePatch", "EventSummary", "EventDetail", "Gap",
                "ActivityHour", "ConfigurationEntry", "CallbackHealth", "Notification", "HubEvent", "ReplayResult")) {
            assertThat(schemas.has(shape)).as(shape).isTrue();
        }
        JsonNode seed = schemas.path("InstanceRequest").path("example");
        assertThat(seed.path("name").asText()).isEqualTo("API_Polling");
        assertThat(seed.at("/configuration/event.poller.configuration/events/idField").asText()).isEqualTo("event_object_id");

        Map<String, SecurityScheme> schemes = api.getComponents().getSecuritySchemes();
        assertThat(schemes).containsKeys("userAuthorization", "elementAuthorization");
        for (SecurityScheme scheme : schemes.values()) {
            assertThat(scheme.getType()).isEqualTo(SecurityScheme.Type.APIKEY);
            assertThat(scheme.getIn()).isEqualTo(SecurityScheme.In.HEADER);
            assertThat(scheme.getName()).isEqualTo("Authorization");
        }
        assertThat(schemes.get("elementAuthorization").getDescription()).contains("Element <instance token>");
        assertThat(api.getSecurity().get(0)).containsKey("userAuthorization");
        assertThat(api.getPaths().get("/hubs/documents/events").getGet().getSecurity().get(0))
                .containsKey("elementAuthorization");
    }

    /** Egnyte's webhooks: event.vendor.type, the push state, the user's "register again" and the public receiver. */
    @Test
    void documentsEgnytesWebhooksModeAndItsPublicReceiver() {
        JsonNode schemas = document.path("components").path("schemas");
        JsonNode vendorType = schemas.at("/Configuration/properties/event.vendor.type");
        assertThat(vendorType.path("enum").toString()).isEqualTo("[\"polling\",\"webhooks\"]");
        assertThat(vendorType.path("description").asText()).contains("bridge.public-base-url", "backstop");
        assertThat(schemas.at("/Instance/properties/push/$ref").asText()).isEqualTo("#/components/schemas/PushState");
        assertThat(schemas.at("/PushState/properties/state/enum").toString())
                .isEqualTo("[\"pending\",\"active\",\"refused\",\"expired\",\"disabled\",\"off\"]");
        assertThat(schemas.at("/PushState/required")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("state", "reason", "webhookId", "expires", "lastPushAt");
        assertThat(document.at("/paths/~1elements~1{key}~1oauth~1url/get/parameters").findValuesAsText("name"))
                .contains("vendorType");

        Operation retry = api.getPaths().get("/instances/{id}/push").getPost();
        assertThat(retry.getSecurity()).as("the document's Authorization scheme, as the other instance calls").isNull();
        assertThat(retry.getResponses()).containsKeys("200", "400", "401", "404");
        assertThat(retry.getRequestBody()).as("no body").isNull();

        Operation receiver = api.getPaths().get("/events/egnyte/{hookKey}").getPost();
        JsonNode security = document.at("/paths/~1events~1egnyte~1{hookKey}/post/security");
        assertThat(security.isArray() && security.isEmpty()).as("no API credentials: security []").isTrue();
        assertThat(receiver.getResponses()).containsKeys("200", "401", "404", "413");
        assertThat(receiver.getParameters()).extracting(Parameter::getName)
                .contains("hookKey", "X-Bridge-Push-Token", "Authentication");
        assertThat(receiver.getRequestBody().getContent().get("application/json").getSchema().getTypes())
                .containsExactly("array");
        assertThat(receiver.getRequestBody().getDescription()).contains("not read");
        for (String error : List.of("401", "404", "413")) {
            assertThat(receiver.getResponses().get(error).getContent().get("application/json").getSchema().getRequired())
                    .as(error).containsExactly("message");
        }
    }

    @Test
    void theNotificationACallbackReceivesIsAWebhook() {
        Operation notification = api.getWebhooks().get("notification").getPost();
        assertThat(notification.getRequestBody().getContent().get("application/json").getSchema().getRequired())
                .containsExactly("message");
        assertThat(notification.getParameters()).extracting(Parameter::getName).contains("webhook-id",
                "webhook-timestamp", "webhook-signature", "Elements-Webhook-Id", "Elements-Webhook-Signature");
    }

    /** The schemas are the bridge's real answers: no field it answers is missing from them, none has another type. */
    @Test
    void theBridgesRealAnswersHaveOnlyDocumentedFieldsOfTheDocumentedTypes() throws Exception {
        egnyte.acceptAnyCode(true);
        ObjectNode request = InstanceRequestBody.of("API_Polling", "Test", "code-" + System.nanoTime(),
                sink.url("/openapi"), "signature-key-0123456789", "0.0167", eventsResource("/hubs/documents/events"));
        JsonNode created = answer("POST", "/instances", JSON.writeValueAsString(request));
        String id = created.path("id").asText();
        String element = ALICE + ", Element " + created.path("token").asText();
        // the first poll starts from now; the events after it are delivered
        await().atMost(Duration.ofSeconds(20)).until(() ->
                !answer("/instances/" + id).at("/poller/cursors/events").isMissingNode());
        egnyte.addEvent("create", "/Shared/new.docx", false);
        egnyte.addEvent("delete", "/Shared/old.docx", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> !sink.received("/openapi").isEmpty()
                && JSON.readTree(get("/instances/" + id + "/events", ALICE).body()).size() > 0);
        JsonNode events = JSON.readTree(get("/instances/" + id + "/events", ALICE).body());
        String eventId = events.get(0).path("eventId").asText();

        List<String> problems = new ArrayList<>();
        conform("POST /instances", created, ref("Instance"), problems);
        conform("GET /hubs/documents/events", JSON.readTree(get("/hubs/documents/events?pageSize=5", element).body()),
                array("HubEvent"), problems);
        conform("GET /instances/{id}", answer("/instances/" + id), ref("Instance"), problems);
        conform("GET /instances", answer("/instances"), array("Instance"), problems);
        conform("GET /instances/polling-disabled", answer("/instances/polling-disabled"), array("Instance"), problems);
        conform("GET /instances/{id}/events", events, array("EventSummary"), problems);
        conform("GET /instances/events", answer("/instances/events"), array("EventSummary"), problems);
        conform("GET /instances/events/{eventId}", answer("/instances/events/" + eventId), ref("EventDetail"), problems);
        conform("GET /instances/{id}/configuration", answer("/instances/" + id + "/configuration"),
                array("ConfigurationEntry"), problems);
        conform("GET /instances/{id}/activity", answer("/instances/" + id + "/activity"), array("ActivityHour"), problems);
        conform("GET /instances/{id}/gaps", answer("/instances/" + id + "/gaps"), array("Gap"), problems);
        var received = sink.received("/openapi").get(0);
        conform("a notification", JSON.readTree(received.body()), ref("Notification"), problems);
        // with a signature key, every header the webhook documents is sent
        document.at("/webhooks/notification/post/parameters").forEach(header -> {
            if (received.header(header.path("name").asText()) == null) {
                problems.add("a notification: no header " + header.path("name").asText());
            }
        });
        conform("GET /elements/{key}/oauth/url", answer("/elements/egnyte/oauth/url?apiKey=k&subdomain=acme"
                + "&callbackUrl=https%3A%2F%2Fmyapp.example.com%2Foauth&state=xyz"), ref("OAuthUrl"), problems);
        conform("POST /instances/{id}/events/{eventId}/retry",
                answer("POST", "/instances/" + id + "/events/" + eventId + "/retry", ""), ref("RetryEventResult"), problems);
        conform("POST /instances/{id}/events/retry", answer("POST", "/instances/" + id + "/events/retry", ""),
                ref("RetryAllResult"), problems);
        conform("POST /instances/{id}/events/replay", answer("POST", "/instances/" + id + "/events/replay",
                "{\"since\": \"2020-01-01\"}"), ref("ReplayResult"), problems);
        conform("POST /instances/{id}/callbacks/enable", answer("POST", "/instances/" + id + "/callbacks/enable", "{}"),
                ref("EnableCallbacksResult"), problems);
        conform("PATCH /instances/{id}/configuration/{configurationId}", answer("PATCH",
                "/instances/" + id + "/configuration/8", "{\"propertyValue\": \"0.0167\"}"), ref("ConfigurationEntry"), problems);
        conform("PATCH /instances/{id}", answer("PATCH", "/instances/" + id, "{\"tags\": [\"Test\", \"OpenAPI\"]}"),
                ref("Instance"), problems);
        ObjectNode replacement = request.deepCopy();
        replacement.remove("providerData");
        conform("PUT /instances/{id}", answer("PUT", "/instances/" + id, JSON.writeValueAsString(replacement)),
                ref("Instance"), problems);
        conform("DELETE /instances/{id}/enabled", answer("DELETE", "/instances/" + id + "/enabled", ""), ref("Instance"), problems);
        conform("PUT /instances/{id}/enabled", answer("PUT", "/instances/" + id + "/enabled", ""), ref("Instance"), problems);
        conform("an error", JSON.readTree(get("/instances/" + id + "/events?page=0", ALICE).body()), ref("Error"), problems);
        assertThat(problems).isEmpty();
    }

    /** An instance in webhooks mode: its push state, POST /instances/{id}/push, the receiver's answers and errors. */
    @Test
    void theBridgesPushAnswersHaveTheDocumentedShapes() throws Exception {
        egnyte.acceptAnyCode(true);
        ObjectNode request = InstanceRequestBody.of("Pushed", "Test", "code-" + System.nanoTime(),
                sink.url("/openapi-push"), null, "60", eventsResource("/hubs/documents/events"));
        ((ObjectNode) request.get("configuration")).put("event.vendor.type", "webhooks");
        JsonNode created = answer("POST", "/instances", JSON.writeValueAsString(request));
        String id = created.path("id").asText();
        List<String> problems = new ArrayList<>();
        conform("POST /instances (webhooks)", created, ref("Instance"), problems);
        JsonNode instance = answer("/instances/" + id);
        assertThat(instance.path("push").isObject()).as(instance.toString()).isTrue();
        conform("GET /instances/{id} (webhooks)", instance, ref("Instance"), problems);
        conform("GET /instances/{id}/configuration (webhooks)", answer("/instances/" + id + "/configuration"),
                array("ConfigurationEntry"), problems);
        conform("GET /elements/{key}/oauth/url?vendorType=webhooks", answer("/elements/egnyte/oauth/url?apiKey=k"
                + "&subdomain=acme&callbackUrl=https%3A%2F%2Fmyapp.example.com%2Foauth&vendorType=webhooks"),
                ref("OAuthUrl"), problems);
        conform("POST /instances/{id}/push", answer("POST", "/instances/" + id + "/push", ""), ref("PushResult"),
                problems);

        // the receiver, as Egnyte calls it: the hook key in the path, the registered secret in the header
        org.springframework.jdbc.core.JdbcTemplate jdbc = context.getRegistry()
                .lookupByNameAndType("jdbcTemplate", org.springframework.jdbc.core.JdbcTemplate.class);
        Map<String, Object> row = jdbc.queryForMap("SELECT hook_key, auth_value FROM egnyte_push WHERE instance_id = ?",
                Long.parseLong(id));
        String secret = context.getRegistry().lookupByNameAndType("secretCipher",
                dev.egnytebridge.security.SecretCipher.class).decrypt((String) row.get("AUTH_VALUE"));
        String receiver = "/events/egnyte/" + row.get("HOOK_KEY");
        String events = "[{\"eventId\": \"1\", \"eventType\": \"fs:add_file\"}]";
        HttpResponse<String> pushed = push(receiver, "X-Bridge-Push-Token", secret, events);
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        conform("POST /events/egnyte/{hookKey}", JSON.readTree(pushed.body()), ref("PushReceived"), problems);
        assertThat(push(receiver, "Authentication", secret, events).statusCode()).isEqualTo(200);
        Map<String, HttpResponse<String>> errors = Map.of(
                "401", push(receiver, "X-Bridge-Push-Token", "not-the-secret", events),
                "404", push("/events/egnyte/no-such-hook-key", "X-Bridge-Push-Token", secret, events),
                "413", push(receiver, "X-Bridge-Push-Token", secret, "[" + " ".repeat(1024 * 1024) + "]"));
        errors.forEach((status, answer) -> {
            assertThat(String.valueOf(answer.statusCode())).as(answer.body()).isEqualTo(status);
            assertThat(document.at("/paths/~1events~1egnyte~1{hookKey}/post/responses").has(status)).isTrue();
            conformJson("POST /events/egnyte/{hookKey} " + status, answer.body(), ref("Error"), problems);
        });

        // the errors of the authenticated calls: a polling instance has no push to look after, a bad vendorType
        String polling = answer("PATCH", "/instances/" + id,
                "{\"configuration\": {\"event.vendor.type\": \"polling\"}}").path("id").asText();
        HttpResponse<String> notWebhooks = sendJson("POST", "/instances/" + polling + "/push", ALICE, "");
        assertThat(notWebhooks.statusCode()).as(notWebhooks.body()).isEqualTo(400);
        assertThat(JSON.readTree(notWebhooks.body()).path("field").asText()).isEqualTo("configuration.event.vendor.type");
        conformJson("POST /instances/{id}/push 400", notWebhooks.body(), ref("Error"), problems);
        HttpResponse<String> badVendorType = get("/elements/egnyte/oauth/url?apiKey=k&subdomain=acme"
                + "&callbackUrl=https%3A%2F%2Fmyapp.example.com%2Foauth&vendorType=push", ALICE);
        assertThat(badVendorType.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badVendorType.body()).path("field").asText()).isEqualTo("vendorType");
        HttpResponse<String> unknown = sendJson("POST", "/instances/999999/push", ALICE, "");
        assertThat(unknown.statusCode()).isEqualTo(404);
        conformJson("POST /instances/{id}/push 404", unknown.body(), ref("Error"), problems);
        assertThat(problems).isEmpty();
    }

    /** A push as Egnyte sends it: no Authorization header, the secret in the given header. */
    private HttpResponse<String> push(String path, String header, String secret, String body) {
        return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + path))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header(header, secret));
    }

    private void conformJson(String where, String body, JsonNode schema, List<String> problems) {
        try {
            conform(where, JSON.readTree(body), schema, problems);
        } catch (Exception e) {
            problems.add(where + ": not JSON: " + body);
        }
    }

    private JsonNode answer(String path) throws Exception {
        HttpResponse<String> response = get(path, ALICE);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode answer(String method, String path, String body) throws Exception {
        HttpResponse<String> response = sendJson(method, path, ALICE, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode ref(String schema) {
        return JSON.createObjectNode().put("$ref", "#/components/schemas/" + schema);
    }

    private JsonNode array(String schema) {
        var array = JSON.createObjectNode().put("type", "array");
        array.set("items", ref(schema));
        return array;
    }

    /** Adds to problems each field of value the schema does not declare, and each value not of the declared type. */
    private void conform(String where, JsonNode value, JsonNode schema, List<String> problems) {
        if (value == null) {
            return;
        }
        while (schema.has("$ref")) {
            schema = document.at(schema.get("$ref").asText().substring(1));
        }
        if (schema.has("allOf")) {
            var merged = JSON.createObjectNode();
            var properties = merged.putObject("properties");
            for (JsonNode part : schema.get("allOf")) {
                while (part.has("$ref")) {
                    part = document.at(part.get("$ref").asText().substring(1));
                }
                part.path("properties").properties().forEach(p -> properties.set(p.getKey(), p.getValue()));
            }
            merged.put("type", "object");
            schema = merged;
        }
        JsonNode type = schema.get("type");
        if (type != null) {
            List<String> types = new ArrayList<>();
            if (type.isArray()) {
                type.forEach(t -> types.add(t.asText()));
            } else {
                types.add(type.asText());
            }
            String actual = value.isNull() ? "null" : value.isObject() ? "object" : value.isArray() ? "array"
                    : value.isIntegralNumber() ? "integer" : value.isNumber() ? "number" : value.isBoolean() ? "boolean"
                    : "string";
            if (!types.contains(actual) && !(actual.equals("integer") && types.contains("number"))) {
                problems.add(where + ": " + actual + " where the document says " + types);
                return;
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (JsonNode item : value) {
                conform(where + "[]", item, schema.get("items"), problems);
            }
        } else if (value.isObject() && (schema.has("properties") || schema.path("additionalProperties").isObject())) {
            // an object schema that names its fields: no other field (unless additionalProperties allows it)
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (properties.has(field.getKey())) {
                    conform(where + "." + field.getKey(), field.getValue(), properties.get(field.getKey()), problems);
                } else if (additional.isObject()) {
                    conform(where + "." + field.getKey(), field.getValue(), additional, problems);
                } else if (!additional.asBoolean(false)) {
                    problems.add(where + "." + field.getKey() + ": not in the document");
                }
            }
        }
    }

    private List<String> queryParameters(String path, String method) {
        List<String> names = new ArrayList<>();
        Operation operation = api.getPaths().get(path).readOperationsMap()
                .get(PathItem.HttpMethod.valueOf(method.toUpperCase()));
        for (Parameter p : operation.getParameters()) {
            if ("query".equals(p.getIn())) {
                names.add(p.getName());
            }
        }
        return names;
    }
}
