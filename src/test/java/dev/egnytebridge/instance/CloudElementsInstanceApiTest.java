package dev.egnytebridge.instance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rest of Cloud Elements' instance API (issue 15 item 4), over real HTTP: PUT /instances/{id}, the configuration
 * as entries, PUT/DELETE /instances/{id}/enabled, GET /instances/events, and a PATCH that is given back the body of
 * a GET.
 */
class CloudElementsInstanceApiTest extends InstanceApiTestSupport {

    private JsonNode createSeed(String authorization, String code) {
        HttpResponse<String> response = create(authorization, seed(code));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private InstanceStore store() {
        return context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
    }

    private Instance stored(long id) {
        return store().find(id).orElseThrow();
    }

    private HttpResponse<String> send(String method, String path, String authorization) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", authorization));
    }

    private long tokenRequests() {
        return egnyte.tokenRequests().size();
    }

    // --- PUT /instances/{id}

    @Test
    void putReplacesNameTagsAndTheWholeConfigurationKeepingTheTokenAndMaskedSecrets() {
        long id = createSeed(ALICE, "code-for-put").get("id").asLong();
        long exchanges = tokenRequests();

        HttpResponse<String> response = sendJson("PUT", "/instances/" + id, ALICE, """
                {"element": {"key": "egnyte"}, "name": "Replaced",
                 "configuration": {
                   "oauth.callback.url": "https://myapp.example.com/oauth/callback",
                   "oauth.api.key": "consumer-key-123",
                   "oauth.api.secret": "********",
                   "subdomain": "acme",
                   "event.notification.enabled": true,
                   "event.notification.callback.url": "https://hooks.example.com/put",
                   "event.poller.refresh_interval": 30}}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("name").asText()).isEqualTo("Replaced");
        assertThat(body.get("tags")).as("tags left out: none").isEmpty();
        assertThat(body.has("token")).isFalse();
        JsonNode configuration = body.get("configuration");
        assertThat(configuration.has("event.notification.signature.key")).as("a key left out is removed").isFalse();
        assertThat(configuration.has("event.poller.configuration")).isFalse();
        assertThat(configuration.get("oauth.api.secret").asText()).isEqualTo("********");
        assertThat(configuration.get("event.notification.callback.url").asText()).isEqualTo("https://hooks.example.com/put");

        Instance stored = stored(id);
        assertThat(stored.secrets().apiSecret()).as("the masked secret keeps the stored one").isEqualTo(API_SECRET);
        assertThat(stored.secrets().hasSignatureKey()).isFalse();
        assertThat(stored.secrets().accessToken()).isEqualTo(accessTokenFor("code-for-put"));
        assertThat(tokenRequests()).as("no new code exchange").isEqualTo(exchanges);
        assertThat(pollers().scheduledIntervalMs(id)).as("takes effect at once").isEqualTo(30 * 60_000L);
    }

    @Test
    void putAcceptsTheBodyOfAGetAndChangesNothing() {
        long id = createSeed(ALICE, "code-for-put-back").get("id").asLong();
        JsonNode before = json(get("/instances/" + id, ALICE));

        HttpResponse<String> response = sendJson("PUT", "/instances/" + id, ALICE, before.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("configuration")).isEqualTo(before.get("configuration"));
        assertThat(json(response).get("tags")).isEqualTo(before.get("tags"));
        assertThat(stored(id).secrets().apiSecret()).isEqualTo(API_SECRET);
        assertThat(stored(id).secrets().signatureKey()).isEqualTo(SIGNATURE_KEY);
    }

    @Test
    void putRequiresNameAndConfigurationAndACodeToChangeTheSubdomain() {
        long id = createSeed(ALICE, "code-for-bad-put").get("id").asLong();
        ObjectNode valid = (ObjectNode) json(get("/instances/" + id, ALICE));
        Map<String, String> cases = Map.of(
                "{\"name\": \"No configuration\"}", "configuration",
                "{\"configuration\": " + valid.get("configuration") + "}", "name",
                valid.deepCopy().set("configuration", ((ObjectNode) valid.get("configuration").deepCopy()).put("subdomain", "other"))
                        .toString(), "providerData.code",
                valid.deepCopy().put("id", id + 1000).toString(), "id",
                "{\"name\": \"x\", \"configuration\": {}, \"unknown\": 1}", "unknown");
        cases.forEach((put, field) -> {
            HttpResponse<String> response = sendJson("PUT", "/instances/" + id, ALICE, put);
            assertThat(response.statusCode()).as(put).isEqualTo(400);
            assertThat(json(response).get("field").asText()).as(put).isEqualTo(field);
        });
        assertThat(sendJson("PUT", "/instances/" + id, BOB, valid.toString()).statusCode()).isEqualTo(404);
        assertThat(json(get("/instances/" + id, ALICE)).get("configuration")).isEqualTo(valid.get("configuration"));
    }

    // --- the configuration as entries

    @Test
    void listsTheConfigurationAsEntriesWithAFixedIdPerKeyAndMaskedSecrets() {
        long id = json(create(ALICE, seed("code-for-entries").replace("\"subdomain\": \"acme\",",
                "\"subdomain\": \"acme\", \"custom.setting\": \"kept as given\","))).get("id").asLong();
        long other = createSeed(ALICE, "code-for-entries-other").get("id").asLong();

        HttpResponse<String> response = get("/instances/" + id + "/configuration", ALICE);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode entries = json(response);
        assertThat(entry(entries, "event.notification.callback.url")).isEqualTo(JSON.createObjectNode().put("id", 6)
                .put("key", "event.notification.callback.url").put("propertyKey", "event.notification.callback.url")
                .put("propertyValue", "http://mycoolapp.com"));
        assertThat(entry(entries, "oauth.api.key").get("id").asLong()).isEqualTo(1);
        assertThat(entry(entries, "oauth.api.secret").get("propertyValue").asText()).isEqualTo("********");
        assertThat(entry(entries, "event.notification.signature.key").get("propertyValue").asText()).isEqualTo("********");
        assertThat(entry(entries, "event.notification.gaps").get("propertyValue").isNull()).as("known, unset").isTrue();
        assertThat(entry(entries, "event.poller.configuration").at("/propertyValue/events/url").asText())
                .isEqualTo("/hubs/documents/events");
        assertThat(entry(entries, "custom.setting").get("id").asLong()).isGreaterThanOrEqualTo(1000);
        assertThat(entry(entries, "custom.setting").get("propertyValue").asText()).isEqualTo("kept as given");
        assertThat(response.body()).doesNotContain(API_SECRET, SIGNATURE_KEY, accessTokenFor("code-for-entries"));

        JsonNode again = json(get("/instances/" + id + "/configuration", ALICE));
        assertThat(entry(again, "custom.setting").get("id")).as("stable").isEqualTo(entry(entries, "custom.setting").get("id"));
        JsonNode others = json(get("/instances/" + other + "/configuration", ALICE));
        assertThat(ids(others)).as("the same ids on every instance").containsAll(ids(entries).subList(0, 10));
        assertThat(get("/instances/" + id + "/configuration", BOB).statusCode()).isEqualTo(404);
    }

    @Test
    void patchOfAConfigurationEntryChangesTheCallbackUrlAndAnswersTheEntry() {
        long id = createSeed(ALICE, "code-for-entry-patch").get("id").asLong();

        HttpResponse<String> response = sendJson("PATCH", "/instances/" + id + "/configuration/6", ALICE,
                "{\"propertyValue\": \"https://hooks.example.com/changed\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(JSON.createObjectNode().put("id", 6).put("key", "event.notification.callback.url")
                .put("propertyKey", "event.notification.callback.url").put("propertyValue", "https://hooks.example.com/changed"));
        assertThat(json(get("/instances/" + id, ALICE)).at("/configuration/event.notification.callback.url").asText())
                .isEqualTo("https://hooks.example.com/changed");
        assertThat(stored(id).secrets().apiSecret()).isEqualTo(API_SECRET);
        assertThat(stored(id).secrets().signatureKey()).isEqualTo(SIGNATURE_KEY);

        HttpResponse<String> interval = sendJson("PATCH", "/instances/" + id + "/configuration/8", ALICE,
                "{\"id\": 8, \"key\": \"event.poller.refresh_interval\", \"propertyValue\": \"45\"}");
        assertThat(interval.statusCode()).as(interval.body()).isEqualTo(200);
        assertThat(pollers().scheduledIntervalMs(id)).as("takes effect at once").isEqualTo(45 * 60_000L);
    }

    @Test
    void patchOfAConfigurationEntryIsCheckedAsAPatchAndKeepsAMaskedSecret() {
        long id = createSeed(ALICE, "code-for-bad-entry").get("id").asLong();
        Map<String, String> cases = Map.of(
                "8", "configuration.event.poller.refresh_interval",
                "6", "configuration.event.notification.callback.url",
                "3", "configuration.oauth.callback.url");
        cases.forEach((entry, field) -> {
            HttpResponse<String> response = sendJson("PATCH", "/instances/" + id + "/configuration/" + entry, ALICE,
                    "{\"propertyValue\": \"-5\"}");
            assertThat(response.statusCode()).as(entry).isEqualTo(400);
            assertThat(json(response).get("field").asText()).as(entry).isEqualTo(field);
        });
        HttpResponse<String> missing = sendJson("PATCH", "/instances/" + id + "/configuration/8", ALICE, "{}");
        assertThat(json(missing).get("field").asText()).isEqualTo("propertyValue");
        assertThat(sendJson("PATCH", "/instances/" + id + "/configuration/999", ALICE, "{\"propertyValue\": 1}").statusCode())
                .isEqualTo(404);
        assertThat(sendJson("PATCH", "/instances/" + id + "/configuration/8", BOB, "{\"propertyValue\": 30}").statusCode())
                .isEqualTo(404);

        HttpResponse<String> masked = sendJson("PATCH", "/instances/" + id + "/configuration/2", ALICE,
                "{\"propertyValue\": \"********\"}");
        assertThat(masked.statusCode()).as(masked.body()).isEqualTo(200);
        assertThat(json(masked).get("propertyValue").asText()).isEqualTo("********");
        assertThat(stored(id).secrets().apiSecret()).isEqualTo(API_SECRET);

        HttpResponse<String> rotated = sendJson("PATCH", "/instances/" + id + "/configuration/2", ALICE,
                "{\"propertyValue\": \"rotated-secret-456\"}");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        assertThat(rotated.body()).doesNotContain("rotated-secret-456");
        assertThat(stored(id).secrets().apiSecret()).isEqualTo("rotated-secret-456");
        assertThat(json(get("/instances/" + id, ALICE)).at("/configuration/event.poller.refresh_interval").asText())
                .isEqualTo("15");
    }

    @Test
    void patchOfTheSignatureKeyEntryGeneratesAKeyShownOnceOrWarnsOfAPlainOne() {
        long id = createSeed(ALICE, "code-for-key-entry").get("id").asLong();

        HttpResponse<String> generated = sendJson("PATCH", "/instances/" + id + "/configuration/7", ALICE,
                "{\"propertyValue\": \"generate\"}");
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
        String key = json(generated).get("propertyValue").asText();
        assertThat(key).startsWith("whsec_");
        assertThat(json(generated).has("warnings")).isFalse();
        assertThat(stored(id).secrets().signatureKey()).isEqualTo(key);
        assertThat(entry(json(get("/instances/" + id + "/configuration", ALICE)), "event.notification.signature.key")
                .get("propertyValue").asText()).isEqualTo("********");

        HttpResponse<String> plain = sendJson("PATCH", "/instances/" + id + "/configuration/7", ALICE,
                "{\"propertyValue\": \"plain-key-for-cloud-elements\"}");
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
        assertThat(json(plain).get("propertyValue").asText()).isEqualTo("********");
        assertThat(json(plain).get("warnings")).singleElement().satisfies(w -> assertThat(w.asText()).contains("whsec_"));
        assertThat(plain.body()).doesNotContain("plain-key-for-cloud-elements");
    }

    // --- PUT / DELETE /instances/{id}/enabled

    @Test
    void deleteEnabledStopsPollingAndPutEnabledStartsItAgain() {
        long id = createSeed(ALICE, "code-for-enabled").get("id").asLong();
        assertThat(pollers().isScheduled(id)).isTrue();

        HttpResponse<String> disabled = send("DELETE", "/instances/" + id + "/enabled", ALICE);
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(json(disabled).get("disabled").asBoolean()).isTrue();
        assertThat(pollers().isScheduled(id)).isFalse();
        assertThat(json(get("/instances/" + id, ALICE)).get("disabled").asBoolean()).isTrue();
        assertThat(stored(id).configuration().get("event.notification.enabled").asBoolean()).as("configuration kept").isTrue();

        // a poller disabled after repeated failures meanwhile gets another chance too
        store().disablePoller(id);
        HttpResponse<String> enabled = send("PUT", "/instances/" + id + "/enabled", ALICE);
        assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
        assertThat(json(enabled).get("disabled").asBoolean()).isFalse();
        assertThat(json(enabled).at("/poller/disabled").asBoolean()).isFalse();
        assertThat(pollers().isScheduled(id)).isTrue();
        assertThat(stored(id).pollable()).isTrue();

        assertThat(send("DELETE", "/instances/" + id + "/enabled", BOB).statusCode()).isEqualTo(404);
        assertThat(pollers().isScheduled(id)).isTrue();
    }

    // --- GET /instances/events

    @Test
    void listsTheEventsOfAllTheCallersInstancesNewestFirstPaged() {
        long first = createSeed(ALICE, "code-for-all-events-1").get("id").asLong();
        long second = createSeed(ALICE, "code-for-all-events-2").get("id").asLong();
        long bobs = createSeed(BOB, "code-for-all-events-bob").get("id").asLong();
        String oldest = notification(first, "2020-01-01T00:00:00Z");
        String middle = notification(second, "2020-01-02T00:00:00Z");
        String newest = notification(first, "2020-01-03T00:00:00Z");
        String bobsEvent = notification(bobs, "2020-01-04T00:00:00Z");

        HttpResponse<String> response = get("/instances/events?pageSize=200", ALICE);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> events = eventIds(json(response));
        assertThat(events).contains(newest, middle, oldest).doesNotContain(bobsEvent);
        assertThat(events.indexOf(newest)).isLessThan(events.indexOf(middle));
        assertThat(events.indexOf(middle)).isLessThan(events.indexOf(oldest));
        JsonNode one = json(response).get(events.indexOf(middle));
        assertThat(one.get("instanceId").asLong()).isEqualTo(second);
        assertThat(one.get("objectIds").get(0).asText()).isEqualTo("object-" + middle);

        int total = events.size();
        JsonNode lastPage = json(get("/instances/events?page=" + total + "&pageSize=1", ALICE));
        assertThat(eventIds(lastPage)).containsExactly(events.get(total - 1));
        assertThat(json(get("/instances/events?pageSize=0", ALICE)).get("field").asText()).isEqualTo("pageSize");
        assertThat(eventIds(json(get("/instances/events", BOB)))).contains(bobsEvent).doesNotContain(newest, middle, oldest);
        assertThat(get("/instances/events", null).statusCode()).isEqualTo(401);
    }

    /** A notification of the instance as the hand-off stores it (no deliveries): its event id. */
    private String notification(long instanceId, String createdAt) {
        String eventId = UUID.randomUUID().toString();
        jdbc().update("INSERT INTO notification (event_id, instance_id, resource, object_count, body, created_at) "
                        + "VALUES (?, ?, 'events', 1, ?, ?)", eventId, instanceId,
                "{\"message\": {\"events\": [{\"objectId\": \"object-" + eventId + "\"}]}}",
                Timestamp.from(Instant.parse(createdAt)));
        return eventId;
    }

    // --- PATCH given back the body of a GET

    @Test
    void patchIgnoresTheReadOnlyFieldsOfAGetBodyAndKeepsMaskedSecrets() {
        JsonNode created = createSeed(ALICE, "code-for-patch-back");
        long id = created.get("id").asLong();
        String tokenHash = jdbc().queryForObject("SELECT token_hash FROM element_instance WHERE id = ?", String.class, id);
        ObjectNode got = (ObjectNode) json(get("/instances/" + id, ALICE));
        assertThat(got.has("poller")).isTrue();
        assertThat(got.has("callbacks")).isTrue();
        got.put("name", "Patched back");
        ((ObjectNode) got.get("configuration")).put("event.poller.refresh_interval", "20");
        got.put("token", "not-a-token-change");
        got.put("valid", false);
        got.put("disabled", true);

        HttpResponse<String> response = sendJson("PATCH", "/instances/" + id, ALICE, got.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("name").asText()).isEqualTo("Patched back");
        assertThat(body.get("valid").asBoolean()).as("read-only: ignored").isTrue();
        assertThat(body.get("disabled").asBoolean()).as("read-only: ignored").isFalse();
        assertThat(body.get("createdDate")).isEqualTo(created.get("createdDate"));
        assertThat(body.at("/configuration/oauth.api.secret").asText()).isEqualTo("********");
        Instance stored = stored(id);
        assertThat(stored.secrets().apiSecret()).as("the masked secret keeps the stored one").isEqualTo(API_SECRET);
        assertThat(stored.secrets().signatureKey()).isEqualTo(SIGNATURE_KEY);
        assertThat(stored.secrets().accessToken()).isEqualTo(accessTokenFor("code-for-patch-back"));
        assertThat(jdbc().queryForObject("SELECT token_hash FROM element_instance WHERE id = ?", String.class, id))
                .isEqualTo(tokenHash);
        assertThat(pollers().scheduledIntervalMs(id)).isEqualTo(20 * 60_000L);
    }

    @Test
    void patchRefusesAnIdOtherThanThePathsAndAFieldNoGetShows() {
        long id = createSeed(ALICE, "code-for-patch-id").get("id").asLong();
        HttpResponse<String> otherId = sendJson("PATCH", "/instances/" + id, ALICE, "{\"id\": " + (id + 1000) + ", \"name\": \"x\"}");
        assertThat(otherId.statusCode()).isEqualTo(400);
        assertThat(json(otherId).get("field").asText()).isEqualTo("id");
        HttpResponse<String> unknown = sendJson("PATCH", "/instances/" + id, ALICE, "{\"owner\": \"bob\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("field").asText()).isEqualTo("owner");
        HttpResponse<String> sameId = sendJson("PATCH", "/instances/" + id, ALICE, "{\"id\": " + id + ", \"tags\": [\"t\"]}");
        assertThat(sameId.statusCode()).as(sameId.body()).isEqualTo(200);
        assertThat(json(get("/instances/" + id, ALICE)).get("name").asText()).isEqualTo("API_Polling");
    }

    private static JsonNode entry(JsonNode entries, String key) {
        for (JsonNode entry : entries) {
            if (key.equals(entry.path("propertyKey").asText())) {
                return entry;
            }
        }
        throw new AssertionError("No entry " + key + " in " + entries);
    }

    private static List<Long> ids(JsonNode entries) {
        List<Long> ids = new ArrayList<>();
        entries.forEach(e -> ids.add(e.get("id").asLong()));
        return ids;
    }

    private static List<String> eventIds(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(e -> ids.add(e.get("eventId").asText()));
        return ids;
    }
}
