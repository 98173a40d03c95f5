package dev.egnytebridge.instance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import dev.egnytebridge.security.Tokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InstancesApiTest extends InstanceApiTestSupport {


    private JsonNode createSeed(String authorization, String code) {
        HttpResponse<String> response = create(authorization, seed(code));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    @Test
    void acceptsTheMissionRequestAndAnswersTheCreatedInstance() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        JsonNode body = createSeed(ALICE, "seed-code");

        assertThat(body.get("id").isIntegralNumber()).isTrue();
        assertThat(body.get("name").asText()).isEqualTo("API_Polling");
        assertThat(body.get("token").asText()).matches("[A-Za-z0-9_-]{43}");
        assertThat(body.get("element")).isEqualTo(JSON.createObjectNode().put("key", "egnyte").put("name", "Egnyte")
                .put("hub", "documents"));
        assertThat(body.get("tags").toString()).isEqualTo("[\"Test\"]");
        assertThat(Instant.parse(body.get("createdDate").asText())).isAfterOrEqualTo(before);
        assertThat(body.get("createdDate").asText()).endsWith("Z");
        assertThat(body.get("eventsEnabled").asBoolean()).isTrue();
        assertThat(body.get("valid").asBoolean()).isTrue();
        assertThat(body.get("disabled").asBoolean()).isFalse();
        assertThat(body.get("user").get("id").asText()).isEqualTo("alice");
        JsonNode configuration = body.get("configuration");
        assertThat(configuration.get("oauth.api.secret").asText()).isEqualTo("********");
        assertThat(configuration.get("event.notification.signature.key").asText()).isEqualTo("********");
        assertThat(configuration.get("oauth.api.key").asText()).isEqualTo("consumer-key-123");
        assertThat(configuration.get("event.poller.refresh_interval").asText()).isEqualTo("15");
        assertThat(configuration.at("/event.poller.configuration/events/datesConfiguration/createdDateFormat").asText())
                .isEqualTo("yyyy-MM-dd'T'HH:mm:ss.SSSX'");
        assertThat(response(body)).doesNotContain(API_SECRET, SIGNATURE_KEY, accessTokenFor("seed-code"));
    }

    /** The "Example JSON with Polling" of the seed document, character for character (its xxx client included). */
    static final String SEED_DOCUMENT_EXAMPLE = """
            {
              "element":{
                    "key":"egnyte"
              },
              "providerData":{
                "code":"1c6ff4089d58d80e86482ab7d5b97f15dd7b041d"
              },
              "configuration":{
                "oauth.callback.url": "https://mycoolapp.com",
                "oauth.api.key": "xxxxxxxxxxxxxxxxxxxxxxx",
                "oauth.api.secret": "xxxxxxxxxxxxxxxxxx",
                "subdomain":"cloudelements",
                "event.notification.enabled":true,
                "event.notification.callback.url":"http://mycoolapp.com",
                "event.poller.refresh_interval":"15",
                "event.poller.configuration":{
                  "events":{
                    "url":"/hubs/documents/events",
                    "idField":"event_object_id",
                    "datesConfiguration":{
                      "updatedDateField":"event_date",
                      "updatedDateFormat":"yyyy-MM-dd'T'HH:mm:ss.SSSX",
                      "updatedDateTimezone":"GMT",
                      "createdDateField":"event_date",
                      "createdDateFormat":"yyyy-MM-dd'T'HH:mm:ss.SSSX'",
                      "createdDateTimezone":"GMT"
                    }
                  }
                }
              },
              "tags":[
                "Test"
              ],
              "name":"API_Polling"
            }
            """;

    @Test
    void acceptsTheSeedDocumentsExampleCharacterForCharacter() {
        egnyte.expectClient(null, null); // the example's client is "xxx...": let the simulator take any client
        try {
            HttpResponse<String> response = create(ALICE, SEED_DOCUMENT_EXAMPLE);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(body.get("name").asText()).isEqualTo("API_Polling");
            assertThat(body.at("/configuration/subdomain").asText()).isEqualTo("cloudelements");
            assertThat(body.at("/configuration/oauth.api.secret").asText()).isEqualTo("********");
            assertThat(pollers().scheduledIntervalMs(body.get("id").asLong())).isEqualTo(15 * 60_000L);
        } finally {
            egnyte.expectClient("consumer-key-123", API_SECRET);
        }
    }

    private static String response(JsonNode body) {
        return body.toString();
    }

    @Test
    void exchangesTheCodeWithTheInstanceClientAndCallback() {
        createSeed(ALICE, "code-for-exchange");
        Map<String, String> form = egnyte.tokenRequests().stream().filter(f -> "code-for-exchange".equals(f.get("code")))
                .findFirst().orElseThrow();
        assertThat(form).containsEntry("grant_type", "authorization_code")
                .containsEntry("client_id", "consumer-key-123")
                .containsEntry("client_secret", API_SECRET)
                .containsEntry("redirect_uri", "https://myapp.example.com/oauth/callback");
    }

    @Test
    void storesSecretsEncryptedAndOnlyTheTokenHash() {
        JsonNode body = createSeed(ALICE, "code-for-storage");
        long id = body.get("id").asLong();
        Map<String, Object> row = jdbc().queryForMap("SELECT * FROM element_instance WHERE id = ?", id);
        String stored = row.values().toString();
        assertThat(stored).doesNotContain(API_SECRET, SIGNATURE_KEY, accessTokenFor("code-for-storage"),
                body.get("token").asText());
        assertThat(row.get("TOKEN_HASH")).isEqualTo(Tokens.sha256Hex(body.get("token").asText()));

        Instance instance = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class).find(id).orElseThrow();
        assertThat(instance.secrets().accessToken()).isEqualTo(accessTokenFor("code-for-storage"));
        assertThat(instance.secrets().apiSecret()).isEqualTo(API_SECRET);
        assertThat(instance.secrets().signatureKey()).isEqualTo(SIGNATURE_KEY);
        assertThat(instance.configuration().has("oauth.api.secret")).isFalse();
        assertThat(instance.subdomain()).isEqualTo("acme");
    }

    @Test
    void schedulesTheNewInstancesPoller() {
        long id = createSeed(ALICE, "code-for-scheduling").get("id").asLong();
        assertThat(pollers().isScheduled(id)).isTrue();
        assertThat(pollers().scheduledIntervalMs(id)).isEqualTo(15 * 60_000L);
    }

    @Test
    void eventsOffScheduleNoPoller() {
        HttpResponse<String> response = create(ALICE, seed("code-events-off").replace("\"event.notification.enabled\": true",
                "\"event.notification.enabled\": false"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(pollers().isScheduled(json(response).get("id").asLong())).isFalse();
    }

    @Test
    void getsOneInstanceWithoutItsToken() {
        JsonNode created = createSeed(ALICE, "code-for-get");
        HttpResponse<String> response = get("/instances/" + created.get("id").asLong(), ALICE);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.has("token")).isFalse();
        assertThat(body.get("id").asLong()).isEqualTo(created.get("id").asLong());
        assertThat(body.get("configuration")).isEqualTo(created.get("configuration"));
        assertThat(response.body()).doesNotContain(created.get("token").asText());
    }

    @Test
    void neverEchoesTheAuthorizationHeader() {
        JsonNode created = createSeed(ALICE, "code-for-headers");
        HttpResponse<String> response = get("/instances/" + created.get("id").asLong(), ALICE);
        assertThat(response.headers().map().toString()).doesNotContain(ALICE_SECRET, ORG_SECRET);
        HttpResponse<String> refused = get("/instances/" + created.get("id").asLong(), "User " + ALICE_SECRET + ", Organization nope");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().map().toString() + refused.body()).doesNotContain(ALICE_SECRET);
    }

    @Test
    void listsTheCallersInstancesFilteredByTags() {
        String taggedBody = seed("code-tagged").replace("\"tags\": [\"Test\"]", "\"tags\": [\"Test\", \"prod\"]");
        long tagged = json(create(ALICE, taggedBody)).get("id").asLong();
        long plain = createSeed(ALICE, "code-plain").get("id").asLong();

        JsonNode all = json(get("/instances", ALICE));
        assertThat(all.isArray()).isTrue();
        assertThat(ids(all)).contains(tagged, plain);
        assertThat(all.toString()).doesNotContain("\"token\"");

        JsonNode prod = json(get("/instances?tags%5B%5D=prod", ALICE));
        assertThat(ids(prod)).contains(tagged).doesNotContain(plain);
        JsonNode both = json(get("/instances?tags%5B%5D=prod&tags%5B%5D=Test", ALICE));
        assertThat(ids(both)).contains(tagged).doesNotContain(plain);
        JsonNode none = json(get("/instances?tags%5B%5D=prod&tags%5B%5D=nowhere", ALICE));
        assertThat(none.size()).isZero();
    }

    private static java.util.List<Long> ids(JsonNode array) {
        java.util.List<Long> ids = new java.util.ArrayList<>();
        array.forEach(n -> ids.add(n.get("id").asLong()));
        return ids;
    }

    @Test
    void patchMergesNameTagsAndPartialConfiguration() {
        long id = createSeed(ALICE, "code-for-patch").get("id").asLong();
        HttpResponse<String> response = sendJson("PATCH", "/instances/" + id, ALICE, """
                {"name": "Renamed", "tags": ["a", "b"],
                 "configuration": {"event.poller.refresh_interval": 30, "event.notification.callback.url": "https://hooks.example.com/x",
                                   "oauth.api.secret": "********"}}""");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("name").asText()).isEqualTo("Renamed");
        assertThat(body.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(body.at("/configuration/event.poller.refresh_interval").asInt()).isEqualTo(30);
        assertThat(body.at("/configuration/event.notification.callback.url").asText()).isEqualTo("https://hooks.example.com/x");
        assertThat(body.at("/configuration/oauth.api.key").asText()).isEqualTo("consumer-key-123");
        assertThat(body.at("/configuration/oauth.api.secret").asText()).isEqualTo("********");

        Instance stored = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class).find(id).orElseThrow();
        assertThat(stored.secrets().apiSecret()).isEqualTo(API_SECRET);
        assertThat(stored.secrets().accessToken()).isEqualTo(accessTokenFor("code-for-patch"));
        assertThat(stored.polling().refreshInterval()).hasMinutes(30);
        assertThat(pollers().scheduledIntervalMs(id)).as("takes effect without restart").isEqualTo(30 * 60_000L);
    }

    @Test
    void patchReplacesAndRemovesSecrets() {
        long id = createSeed(ALICE, "code-for-secret-patch").get("id").asLong();
        HttpResponse<String> response = sendJson("PATCH", "/instances/" + id, ALICE, """
                {"configuration": {"oauth.api.secret": "rotated-secret-123", "event.notification.signature.key": null}}""");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).at("/configuration").has("event.notification.signature.key")).isFalse();
        assertThat(response.body()).doesNotContain("rotated-secret-123");
        Instance stored = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class).find(id).orElseThrow();
        assertThat(stored.secrets().apiSecret()).isEqualTo("rotated-secret-123");
        assertThat(stored.secrets().hasSignatureKey()).isFalse();
    }

    @Test
    void generatesAStandardWebhooksKeyWhenAskedAndShowsItOnlyOnce() {
        HttpResponse<String> created = create(ALICE, seed("code-for-generated-key").replace(SIGNATURE_KEY, "generate"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String key = json(created).at("/configuration/event.notification.signature.key").asText();
        assertThat(key).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(key.substring("whsec_".length()))).hasSize(32);
        assertThat(json(created).has("warnings")).isFalse();

        long id = json(created).get("id").asLong();
        Instance stored = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class).find(id).orElseThrow();
        assertThat(stored.secrets().signatureKey()).isEqualTo(key);
        assertThat(get("/instances/" + id, ALICE).body()).doesNotContain(key).contains("\"********\"");

        HttpResponse<String> rotated = sendJson("PATCH", "/instances/" + id, ALICE,
                "{\"configuration\": {\"event.notification.signature.key\": \"generate\"}}");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String next = json(rotated).at("/configuration/event.notification.signature.key").asText();
        assertThat(next).startsWith("whsec_").isNotEqualTo(key);
    }

    @Test
    void acceptsACloudElementsKeyWithAWarningThatStandardWebhooksLibrariesNeedWhsec() {
        HttpResponse<String> created = create(ALICE, seed("code-for-plain-key"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(json(created).get("warnings")).singleElement()
                .satisfies(w -> assertThat(w.asText()).contains("event.notification.signature.key", "whsec_")
                        .doesNotContain(SIGNATURE_KEY));
        long id = json(created).get("id").asLong();
        assertThat(json(get("/instances/" + id, ALICE)).has("warnings")).as("said once, when given").isFalse();
    }

    @Test
    void refusesAWhsecKeyThatIsNotBase64OfEnoughBytes() {
        HttpResponse<String> refused = create(ALICE, seed("code-for-bad-key").replace(SIGNATURE_KEY, "whsec_not base64!"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("field").asText()).isEqualTo("configuration.event.notification.signature.key");
        assertThat(refused.body()).doesNotContain("not base64!");
    }

    @Test
    void patchWithCodeReauthorizesAndRestartsADisabledPoller() throws Exception {
        long id = createSeed(ALICE, "code-before-revocation").get("id").asLong();
        InstanceStore store = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
        store.markInvalid(id, "Egnyte answered 401");
        store.disablePoller(id);
        pollers().unschedule(id);
        assertThat(ids(json(get("/instances/polling-disabled", ALICE)))).contains(id);
        assertThat(json(get("/instances/" + id, ALICE)).get("valid").asBoolean()).isFalse();

        HttpResponse<String> response = sendJson("PATCH", "/instances/" + id, ALICE, "{\"providerData\": {\"code\": \"fresh-code\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("valid").asBoolean()).isTrue();
        Instance stored = store.find(id).orElseThrow();
        assertThat(stored.secrets().accessToken()).isEqualTo(accessTokenFor("fresh-code"));
        assertThat(stored.pollable()).isTrue();
        assertThat(ids(json(get("/instances/polling-disabled", ALICE)))).doesNotContain(id);
        assertThat(pollers().isScheduled(id)).isTrue();
    }

    @Test
    void patchMovesAnInstanceToAnotherSubdomainWithANewCode() {
        long id = createSeed(ALICE, "code-before-move").get("id").asLong();
        HttpResponse<String> response = sendJson("PATCH", "/instances/" + id, ALICE,
                "{\"configuration\": {\"subdomain\": \"Other-Co\"}, \"providerData\": {\"code\": \"code-after-move\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).at("/configuration/subdomain").asText()).isEqualTo("other-co");
        Instance stored = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class).find(id).orElseThrow();
        assertThat(stored.subdomain()).isEqualTo("other-co");
        assertThat(stored.secrets().accessToken()).isEqualTo(accessTokenFor("code-after-move"));
    }

    @Test
    void patchRefusedByEgnyteChangesNothing() {
        long id = createSeed(ALICE, "code-before-refusal").get("id").asLong();
        HttpResponse<String> response = sendJson("PATCH", "/instances/" + id, ALICE, "{\"name\": \"Not saved\", "
                + "\"configuration\": {\"oauth.api.secret\": \"wrong-client-secret\"}, \"providerData\": {\"code\": \"another-code\"}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("field").asText()).isEqualTo("providerData.code");
        assertThat(json(get("/instances/" + id, ALICE)).get("name").asText()).isEqualTo("API_Polling");
    }

    @Test
    void patchRejectsBadInputNamingTheField() {
        long id = createSeed(ALICE, "code-before-bad-patch").get("id").asLong();
        Map<String, String> cases = Map.of(
                "{\"configuration\": {\"event.poller.refresh_interval\": \"-5\"}}", "configuration.event.poller.refresh_interval",
                "{\"configuration\": {\"event.notification.callback.url\": null}}", "configuration.event.notification.callback.url",
                "{\"configuration\": {\"subdomain\": \"other\"}}", "providerData.code",
                "{\"configuration\": {\"oauth.api.secret\": null}}", "configuration.oauth.api.secret",
                "{\"name\": \"\"}", "name",
                "{\"tags\": \"x\"}", "tags",
                "{\"configuration\": []}", "configuration",
                "{\"name\": ", "body");
        cases.forEach((patch, field) -> {
            HttpResponse<String> response = sendJson("PATCH", "/instances/" + id, ALICE, patch);
            assertThat(response.statusCode()).as(patch).isEqualTo(400);
            assertThat(json(response).get("field").asText()).as(patch).isEqualTo(field);
        });
        JsonNode unchanged = json(get("/instances/" + id, ALICE));
        assertThat(unchanged.get("name").asText()).isEqualTo("API_Polling");
        assertThat(unchanged.at("/configuration/event.poller.refresh_interval").asText()).isEqualTo("15");
    }

    @Test
    void deleteStopsThePollerAndRemovesTheInstance() {
        long id = createSeed(ALICE, "code-for-delete").get("id").asLong();
        HttpResponse<String> response = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/instances/" + id))
                .DELETE().header("Authorization", ALICE));
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(pollers().isScheduled(id)).isFalse();
        assertThat(get("/instances/" + id, ALICE).statusCode()).isEqualTo(404);
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM element_instance WHERE id = ?", Long.class, id)).isZero();
    }

    @Test
    void deleteAnswersWhileAPollOfTheInstanceIsHeldAtEgnyte() {
        // the new instance's first poll is due at once; Egnyte holds its first call for 8 s (a DELETE that waited for
        // the poll would answer only after Egnyte did)
        egnyte.delayNext(1, 8_000);
        long id = createSeed(ALICE, "code-for-delete-while-polled").get("id").asLong();
        String bearer = "Bearer " + EgnyteSimulator.tokenForCode("code-for-delete-while-polled");
        await("the poll's call held at Egnyte").atMost(Duration.ofSeconds(10))
                .until(() -> callsWith(bearer) == 1 && egnyte.inFlight() > 0);

        HttpResponse<String> response = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/instances/" + id))
                .DELETE().header("Authorization", ALICE));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(egnyte.inFlight()).as("Egnyte still holds the poll's call").isPositive();
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM element_instance WHERE id = ?", Long.class, id)).isZero();
        // once Egnyte answers, the poll stops before its next call and stores nothing for the deleted instance
        await().atMost(Duration.ofSeconds(20)).until(() -> egnyte.inFlight() == 0);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> callsWith(bearer) == 1);
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM notification WHERE instance_id = ?", Long.class, id)).isZero();
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM poll_cursor WHERE instance_id = ?", Long.class, id)).isZero();
    }

    private long callsWith(String bearer) {
        return egnyte.requestsTo("/pubapi/").stream().filter(r -> bearer.equals(r.header("Authorization"))).count();
    }

    @Test
    void anotherUsersInstanceIsNotFound() {
        long id = createSeed(ALICE, "code-of-alice").get("id").asLong();
        assertThat(get("/instances/" + id, BOB).statusCode()).isEqualTo(404);
        assertThat(json(get("/instances/" + id, BOB)).get("message").asText()).contains("No instance");
        assertThat(ids(json(get("/instances", BOB)))).doesNotContain(id);
        assertThat(sendJson("PATCH", "/instances/" + id, BOB, "{\"name\": \"bob was here\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> delete = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/instances/" + id))
                .DELETE().header("Authorization", BOB));
        assertThat(delete.statusCode()).isEqualTo(404);
        assertThat(pollers().isScheduled(id)).isTrue();
        assertThat(json(get("/instances/" + id, ALICE)).get("name").asText()).isEqualTo("API_Polling");
    }

    @Test
    void nonNumericIdIsNotFound() {
        HttpResponse<String> response = get("/instances/abc", ALICE);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("message").asText()).contains("numbers");
    }

    @Test
    void pollingDisabledListsOnlyTheCallersDisabledInstances() throws Exception {
        long alices = createSeed(ALICE, "code-disabled-alice").get("id").asLong();
        long bobs = createSeed(BOB, "code-disabled-bob").get("id").asLong();
        long healthy = createSeed(ALICE, "code-healthy").get("id").asLong();
        InstanceStore store = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
        // as the poller does after too many failures: flag the instance, stop its poller
        store.disablePoller(alices);
        store.disablePoller(bobs);
        pollers().unschedule(alices);
        pollers().unschedule(bobs);
        HttpResponse<String> response = get("/instances/polling-disabled", ALICE);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ids(json(response))).contains(alices).doesNotContain(bobs, healthy);
    }

    @Test
    void buildsTheEgnyteAuthorizeUrl() {
        HttpResponse<String> response = get("/elements/egnyte/oauth/url?apiKey=key%20one&apiSecret=" + API_SECRET
                + "&callbackUrl=https%3A%2F%2Fapp.example.com%2Fcb%3Fa%3D1&state=xyz&subdomain=Acme", ALICE);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("element").asText()).isEqualTo("egnyte");
        assertThat(body.get("oauthUrl").asText()).isEqualTo(egnyte.baseUrl() + "/puboauth/token?client_id=key+one"
                + "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fa%3D1&scope=Egnyte.filesystem&state=xyz&response_type=code");
        assertThat(response.body() + response.headers().map()).doesNotContain(API_SECRET);
    }

    @Test
    void authorizeUrlRejectsBadSubdomainAndUnknownElement() {
        HttpResponse<String> bad = get("/elements/egnyte/oauth/url?apiKey=k&callbackUrl=https%3A%2F%2Fa.example.com&subdomain=evil.com%2Fx", ALICE);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("field").asText()).isEqualTo("subdomain");
        HttpResponse<String> missingKey = get("/elements/egnyte/oauth/url?callbackUrl=https%3A%2F%2Fa.example.com&subdomain=acme", ALICE);
        assertThat(json(missingKey).get("field").asText()).isEqualTo("apiKey");
        assertThat(get("/elements/box/oauth/url?apiKey=k&callbackUrl=https%3A%2F%2Fa.example.com&subdomain=acme", ALICE).statusCode())
                .isEqualTo(404);
        assertThat(get("/elements/egnyte/oauth/url?apiKey=k&callbackUrl=https%3A%2F%2Fa.example.com&subdomain=acme", null).statusCode())
                .isEqualTo(401);
    }
}
