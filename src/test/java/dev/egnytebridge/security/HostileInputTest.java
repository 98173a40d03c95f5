package dev.egnytebridge.security;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.instance.InstanceApiTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input at every endpoint: each answers a clear 4xx JSON error (never a 500, never a stack trace) and leaves
 * the database as it was.
 */
class HostileInputTest extends InstanceApiTestSupport {

    private static final String NESTED_ARRAYS = "[".repeat(10_000) + "]".repeat(10_000);
    private static final String NESTED_OBJECTS = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    private static final String WRONG_AUTH = "User " + ALICE_SECRET + ", Organization wrong-org-secret";

    /** One request: method, path (with {id} and {event} filled in later), body (null: none), Authorization headers. */
    record Attack(String why, String method, String path, String body, List<String> authorization, int status) {
        @Override
        public String toString() {
            return why + " " + method + " " + (path.length() > 60 ? path.substring(0, 60) + "..." : path);
        }
    }

    private String instanceId;
    private String eventId;

    /** Once the bridge runs (it starts before each test, after any @BeforeAll). */
    private void aStoredInstanceAndNotification() {
        if (instanceId != null) {
            return;
        }
        HttpResponse<String> created = create(ALICE, seed("hostile-setup-code"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        instanceId = json(created).get("id").asText();
        eventId = java.util.UUID.randomUUID().toString();
        jdbc().update("INSERT INTO notification (event_id, instance_id, resource, object_count, body, created_at) "
                + "VALUES (?, ?, 'events', 1, '{\"message\":{}}', CURRENT_TIMESTAMP)", eventId, Long.parseLong(instanceId));
    }

    /** Every endpoint, with a body where it takes one. */
    static List<String[]> endpoints() {
        return List.of(
                new String[]{"GET", "/elements/egnyte/oauth/url?apiKey=k&callbackUrl=https%3A%2F%2Fa.example.com&subdomain=acme"},
                new String[]{"GET", "/instances/polling-disabled"},
                new String[]{"GET", "/instances"},
                new String[]{"POST", "/instances"},
                new String[]{"GET", "/instances/{id}"},
                new String[]{"PATCH", "/instances/{id}"},
                new String[]{"DELETE", "/instances/{id}"},
                new String[]{"GET", "/instances/{id}/events"},
                new String[]{"GET", "/instances/events/{event}"},
                new String[]{"POST", "/instances/{id}/events/{event}/retry"},
                new String[]{"POST", "/instances/{id}/events/retry"},
                new String[]{"POST", "/instances/{id}/events/replay"},
                new String[]{"POST", "/instances/{id}/callbacks/enable"},
                new String[]{"PUT", "/instances/{id}"},
                new String[]{"GET", "/instances/{id}/configuration"},
                new String[]{"PATCH", "/instances/{id}/configuration/6"},
                new String[]{"PUT", "/instances/{id}/enabled"},
                new String[]{"DELETE", "/instances/{id}/enabled"},
                new String[]{"GET", "/instances/events"});
    }

    static Stream<Attack> attacks() {
        List<Attack> attacks = new ArrayList<>();
        // --- authentication, at every endpoint
        Map<String, List<String>> badAuth = Map.of(
                "missing Authorization", List.of(),
                "empty Authorization", List.of(""),
                "malformed Authorization", List.of("Bearer abc.def.ghi"),
                "wrong organization secret", List.of(WRONG_AUTH),
                "repeated part", List.of("User " + ALICE_SECRET + ", User " + BOB_SECRET + ", Organization " + ORG_SECRET),
                "duplicated Authorization headers", List.of(ALICE, BOB),
                "duplicated identical Authorization headers", List.of(ALICE, ALICE),
                "huge Authorization", List.of("User " + "a".repeat(7000) + ", Organization " + ORG_SECRET),
                "injection in Authorization", List.of("User ' OR '1'='1, Organization ' OR '1'='1"));
        for (String[] endpoint : endpoints()) {
            String body = endpoint[0].equals("POST") || endpoint[0].equals("PATCH") || endpoint[0].equals("PUT")
                    ? "{\"name\": \"x\"}" : null;
            badAuth.forEach((why, headers) -> attacks.add(new Attack(why, endpoint[0], endpoint[1], body, headers, 401)));
        }
        // --- bodies of POST /instances and PATCH /instances/{id}
        Function<String, ObjectNode> seedTree = code -> {
            try {
                return (ObjectNode) JSON.readTree(seed(code));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        ObjectNode withUnknown = seedTree.apply("c1");
        withUnknown.put("owner_user", "bob").put("id", 1);
        ObjectNode hugeName = seedTree.apply("c2");
        hugeName.put("name", "n".repeat(1_048_576 - 4096));
        ObjectNode injectedType = seedTree.apply("c3");
        injectedType.set("tags", JSON.createObjectNode().put("$where", "1==1"));
        ObjectNode nestedConfig = seedTree.apply("c4");
        nestedConfig.set("configuration", JSON.createArrayNode().add(1));
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("malformed JSON", "{\"name\": ");
        bodies.put("trailing garbage", "{\"name\": \"x\"} {\"name\": \"y\"}");
        bodies.put("duplicate keys", "{\"name\": \"x\", \"name\": \"y\"}");
        bodies.put("10000 nested arrays", NESTED_ARRAYS);
        bodies.put("10000 nested objects", NESTED_OBJECTS);
        bodies.put("array body", "[]");
        bodies.put("string body", "\"instance\"");
        bodies.put("null body", "null");
        bodies.put("number body", "1e999999");
        bodies.put("empty body", "");
        bodies.put("not UTF-8 JSON", "\u0000\u0001\u0002");
        bodies.put("name of wrong type", "{\"name\": {\"$ne\": null}}");
        bodies.put("tags of wrong type", "{\"tags\": \"a,b\"}");
        bodies.put("tag of wrong type", "{\"tags\": [1, true, null]}");
        bodies.put("configuration of wrong type", "{\"configuration\": \"refresh=1\"}");
        bodies.put("callback of wrong type", "{\"configuration\": {\"event.notification.callback.url\": [\"http://a.example.com\"]}}");
        bodies.put("interval out of range", "{\"configuration\": {\"event.poller.refresh_interval\": 1e308}}");
        bodies.put("interval NaN", "{\"configuration\": {\"event.poller.refresh_interval\": \"NaN\"}}");
        bodies.put("javascript callback", "{\"configuration\": {\"event.notification.callback.url\": \"javascript:alert(1)\"}}");
        bodies.put("file callback", "{\"configuration\": {\"event.notification.callback.url\": \"file:///etc/passwd\"}}");
        bodies.put("unknown fields", withUnknown.toString());
        bodies.put("name of 1 MB minus a bit", hugeName.toString());
        bodies.put("tags as an operator object", injectedType.toString());
        bodies.put("configuration as an array", nestedConfig.toString());
        bodies.put("subdomain traversal", "{\"configuration\": {\"subdomain\": \"../../evil.com/x\"}, \"providerData\": {\"code\": \"c\"}}");
        bodies.put("unicode name of blanks only", "{\"name\": \"\\u2003\\u2003\"}");
        bodies.put("too many tags", "{\"tags\": [" + String.join(",", java.util.Collections.nCopies(101, "\"t\"").stream()
                .map(t -> "\"t" + Math.random() + "\"").toList()) + "]}");
        bodies.forEach((why, body) -> {
            attacks.add(new Attack(why, "POST", "/instances", body, List.of(ALICE), 400));
            if (!why.equals("unknown fields") && !why.equals("name of 1 MB minus a bit")) {
                attacks.add(new Attack(why, "PATCH", "/instances/{id}", body, List.of(ALICE), 400));
            }
            attacks.add(new Attack(why, "PUT", "/instances/{id}", body, List.of(ALICE), 400));
        });
        ObjectNode unknownPatch = JSON.createObjectNode().put("owner_user", "bob").put("token", "x");
        attacks.add(new Attack("unknown fields", "PATCH", "/instances/{id}", unknownPatch.toString(), List.of(ALICE), 400));
        attacks.add(new Attack("name of 1 MB minus a bit", "PATCH", "/instances/{id}",
                JSON.createObjectNode().put("name", "n".repeat(1_048_576 - 4096)).toString(), List.of(ALICE), 400));
        // over camel.server.max-body-size (1 MiB)
        String tooLarge = "{\"name\": \"" + "x".repeat(1_100_000) + "\"}";
        attacks.add(new Attack("body over 1 MiB", "POST", "/instances", tooLarge, List.of(ALICE), 413));
        attacks.add(new Attack("body over 1 MiB", "PATCH", "/instances/{id}", tooLarge, List.of(ALICE), 413));
        // --- ids and query parameters
        for (String id : List.of("..%2F..%2Fetc", "1%00", "1%20OR%201=1", "1;DROP%20TABLE%20element_instance", "-1",
                "99999999999999999999", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "0x1", "1e3", "%E2%80%AE1")) {
            attacks.add(new Attack("hostile id", "GET", "/instances/" + id, null, List.of(ALICE), 404));
            attacks.add(new Attack("hostile id", "PATCH", "/instances/" + id, "{\"name\": \"x\"}", List.of(ALICE), 404));
            attacks.add(new Attack("hostile id", "DELETE", "/instances/" + id, null, List.of(ALICE), 404));
            attacks.add(new Attack("hostile id", "PUT", "/instances/" + id, "{\"name\": \"x\"}", List.of(ALICE), 404));
            attacks.add(new Attack("hostile id", "GET", "/instances/" + id + "/configuration", null, List.of(ALICE), 404));
            attacks.add(new Attack("hostile id", "PATCH", "/instances/" + id + "/configuration/6", "{\"propertyValue\": 1}",
                    List.of(ALICE), 404));
            attacks.add(new Attack("hostile configuration id", "PATCH", "/instances/{id}/configuration/" + id,
                    "{\"propertyValue\": 1}", List.of(ALICE), 404));
            attacks.add(new Attack("hostile id", "PUT", "/instances/" + id + "/enabled", null, List.of(ALICE), 404));
            attacks.add(new Attack("hostile id", "DELETE", "/instances/" + id + "/enabled", null, List.of(ALICE), 404));
            attacks.add(new Attack("hostile id", "GET", "/instances/" + id + "/events", null, List.of(ALICE), 404));
            attacks.add(new Attack("hostile id", "POST", "/instances/" + id + "/events/retry", null, List.of(ALICE), 404));
            attacks.add(new Attack("hostile id", "POST", "/instances/" + id + "/events/replay",
                    "{\"since\": \"2025-01-01T00:00:00Z\"}", List.of(ALICE), 404));
            attacks.add(new Attack("hostile id", "POST", "/instances/" + id + "/callbacks/enable", "{}", List.of(ALICE), 404));
            attacks.add(new Attack("hostile event id", "GET", "/instances/events/" + id, null, List.of(ALICE), 404));
            attacks.add(new Attack("hostile event id", "POST", "/instances/{id}/events/" + id + "/retry", null, List.of(ALICE), 404));
        }
        attacks.add(new Attack("event id of 3 KB", "GET", "/instances/events/" + "e".repeat(3_000), null, List.of(ALICE), 404));
        attacks.add(new Attack("SQL in event id", "GET", "/instances/events/x'%20OR%20'1'='1", null, List.of(ALICE), 404));
        // --- bodies of the replay and enable calls
        Map<String, String> replayBodies = new LinkedHashMap<>();
        replayBodies.put("SQL in since", "{\"since\": \"2025-01-01' OR '1'='1\"}");
        replayBodies.put("since of 100 KB", "{\"since\": \"" + "9".repeat(100_000) + "\"}");
        replayBodies.put("since as an operator object", "{\"since\": {\"$gt\": \"\"}}");
        replayBodies.put("SQL in callbackUrl", "{\"since\": \"2025-01-01T00:00:00Z\", \"callbackUrl\": \"http://a' OR '1'='1\"}");
        replayBodies.put("replay with unknown fields", "{\"since\": \"2025-01-01T00:00:00Z\", \"instance_id\": 1}");
        replayBodies.forEach((why, body) ->
                attacks.add(new Attack(why, "POST", "/instances/{id}/events/replay", body, List.of(ALICE), 400)));
        attacks.add(new Attack("SQL in callbackUrl", "POST", "/instances/{id}/callbacks/enable",
                "{\"callbackUrl\": \"' OR '1'='1\"}", List.of(ALICE), 400));
        attacks.add(new Attack("callbackUrl as an array", "POST", "/instances/{id}/callbacks/enable",
                "{\"callbackUrl\": [\"http://mycoolapp.com\"]}", List.of(ALICE), 400));
        attacks.add(new Attack("page not a number", "GET", "/instances/{id}/events?page=1%20OR%201=1", null, List.of(ALICE), 400));
        attacks.add(new Attack("negative page size", "GET", "/instances/{id}/events?pageSize=-5", null, List.of(ALICE), 400));
        attacks.add(new Attack("negative page size", "GET", "/instances/events?pageSize=-5", null, List.of(ALICE), 400));
        attacks.add(new Attack("propertyValue of wrong type", "PATCH", "/instances/{id}/configuration/6",
                "{\"propertyValue\": [\"http://a.example.com\"]}", List.of(ALICE), 400));
        attacks.add(new Attack("configuration entry with unknown fields", "PATCH", "/instances/{id}/configuration/6",
                "{\"propertyValue\": \"http://a.example.com\", \"instance_id\": 1}", List.of(ALICE), 400));
        attacks.add(new Attack("repeated page", "GET", "/instances/{id}/events?page=1&page=2", null, List.of(ALICE), 400));
        attacks.add(new Attack("unknown element", "GET", "/elements/..%2F..%2Fetc/oauth/url?apiKey=k", null, List.of(ALICE), 404));
        attacks.add(new Attack("javascript redirect", "GET",
                "/elements/egnyte/oauth/url?apiKey=k&callbackUrl=javascript%3Aalert(1)&subdomain=acme", null, List.of(ALICE), 400));
        attacks.add(new Attack("subdomain traversal", "GET",
                "/elements/egnyte/oauth/url?apiKey=k&callbackUrl=https%3A%2F%2Fa.example.com&subdomain=..%2F..%2Fevil", null, List.of(ALICE), 400));
        attacks.add(new Attack("missing api key", "GET", "/elements/egnyte/oauth/url?subdomain=acme", null, List.of(ALICE), 400));
        return attacks.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void answersAClearClientErrorAndChangesNothing(Attack attack) {
        aStoredInstanceAndNotification();
        Map<String, Long> before = rowCounts();
        HttpResponse<String> response = send(attack);

        assertThat(response.statusCode()).as(attack + ": " + abbreviated(response.body())).isEqualTo(attack.status());
        if (attack.status() == 413) {
            // refused by the HTTP server (camel.server.max-body-size) before any route runs: Vert.x's own short answer
            assertThat(response.body()).as(attack.toString()).doesNotContain("Exception", "\tat ");
            assertThat(rowCounts()).as(attack.toString()).isEqualTo(before);
            return;
        }
        assertThat(response.headers().firstValue("Content-Type")).as(attack.toString()).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = json(response);
        assertThat(error.isObject()).isTrue();
        assertThat(error.path("message").asText()).as(attack.toString()).isNotBlank();
        assertThat(response.body()).as(attack.toString())
                .doesNotContain("Exception", "\tat ", "at dev.egnytebridge", "org.apache", "com.fasterxml", "SQL",
                        ALICE_SECRET, BOB_SECRET, ORG_SECRET);
        assertThat(response.body().length()).as("errors do not echo large input").isLessThan(2000);
        assertThat(rowCounts()).as(attack.toString()).isEqualTo(before);
    }

    @Test
    void storesInjectionInNamesAndTagsVerbatimAndNeverRunsIt() throws Exception {
        aStoredInstanceAndNotification();
        String name = "Robert'); DROP TABLE element_instance;-- <script>alert('x')</script> \u00e9\u4e2d\ud83d\ude00\u202e";
        List<String> tags = List.of("' OR '1'='1", "<img src=x onerror=alert(1)>", "${jndi:ldap://x}", "#{7*7}", "{{7*7}}");
        ObjectNode body = (ObjectNode) JSON.readTree(seed("injection-code"));
        body.put("name", name);
        body.set("tags", JSON.valueToTree(tags));

        HttpResponse<String> created = create(ALICE, JSON.writeValueAsString(body));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = json(created).get("id").asText();

        HttpResponse<String> read = get("/instances/" + id, ALICE);
        assertThat(json(read).get("name").asText()).isEqualTo(name);
        assertThat(JSON.convertValue(json(read).get("tags"), List.class)).isEqualTo(tags);
        assertThat(read.body()).as("HTML is JSON-escaped, never raw in a response")
                .doesNotContain("<script>", "<img", "</script>");
        assertThat(read.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(rowCounts().get("element_instance")).isPositive();
        HttpResponse<String> byTag = get("/instances?tags%5B%5D=" + java.net.URLEncoder.encode("' OR '1'='1",
                java.nio.charset.StandardCharsets.UTF_8), ALICE);
        assertThat(byTag.statusCode()).isEqualTo(200);
        assertThat(json(byTag)).hasSize(1);
        assertThat(json(get("/instances?tags%5B%5D=%27%20OR%20%27x%27%3D%27x", ALICE))).isEmpty();
    }

    // --- helpers

    private HttpResponse<String> send(Attack attack) {
        String path = attack.path().replace("{id}", instanceId).replace("{event}", eventId);
        HttpRequest.BodyPublisher body = attack.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(attack.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).method(attack.method(), body);
        if (attack.body() != null) {
            request.header("Content-Type", "application/json");
        }
        attack.authorization().forEach(value -> request.header("Authorization", value));
        return send(request);
    }

    private Map<String, Long> rowCounts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (String table : List.of("element_instance", "notification", "delivery")) {
            counts.put(table, jdbc().queryForObject("SELECT COUNT(*) FROM " + table, Long.class));
        }
        return counts;
    }


    private static String abbreviated(String body) {
        return body == null || body.length() < 300 ? body : body.substring(0, 300) + "...";
    }
}
