package dev.egnytebridge.api;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.BridgeTestSupport;
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

/**
 * {@code GET /openapi.json} of the running bridge: a standard validator (swagger-parser) accepts it without a single
 * message, it documents exactly the REST verbs of the context (the setup page's and its own left out), and every
 * operation carries what a client generator needs: parameters with types, request and response schemas, errors, the
 * Authorization scheme; the notification a callback receives is its webhook.
 */
class OpenApiDocumentTest extends BridgeTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String body;
    private JsonNode document;
    private OpenAPI api;

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
                    || method == PathItem.HttpMethod.POST && !path.endsWith("/retry");
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
                "apiKey", "apiSecret", "callbackUrl", "state", "subdomain");
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

    @Test
    void theNotificationACallbackReceivesIsAWebhook() {
        Operation notification = api.getWebhooks().get("notification").getPost();
        assertThat(notification.getRequestBody().getContent().get("application/json").getSchema().getRequired())
                .containsExactly("message");
        assertThat(notification.getParameters()).extracting(Parameter::getName).contains("webhook-id",
                "webhook-timestamp", "webhook-signature", "Elements-Webhook-Id", "Elements-Webhook-Signature");
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
