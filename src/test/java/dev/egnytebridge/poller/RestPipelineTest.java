package dev.egnytebridge.poller;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.sandbox.CallbackSink;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pipeline driven the way a user drives it: instances created, changed and deleted over the REST API. */
class RestPipelineTest extends PipelineTestSupport {

    private static final String WHSEC = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    private String lastCode;

    private JsonNode createOverRest(String callbackUrls, String signatureKey, String interval) throws Exception {
        egnyte.acceptAnyCode(true);
        lastCode = "code-" + System.nanoTime();
        ObjectNode body = dev.egnytebridge.InstanceRequestBody.of("API_Polling", "Test", lastCode, callbackUrls, signatureKey,
                interval, eventsResource("/hubs/documents/events"));
        HttpResponse<String> response = sendJson("POST", "/instances", ALICE, JSON.writeValueAsString(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String hmac(byte[] key, String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void signsEveryNotificationBothWays() throws Exception {
        JsonNode instance = createOverRest(sink.url("/signed"), WHSEC, "0.0167");
        long id = instance.path("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> cursors().find(id, "events").isPresent());
        egnyte.addEvents(3);
        await().atMost(Duration.ofSeconds(20)).until(() -> !sink.received("/signed").isEmpty());

        CallbackSink.Received received = sink.received("/signed").get(0);
        String body = received.body();
        assertThat(received.header("Content-Type")).startsWith("application/json");
        assertThat(received.header("Elements-Webhook-Signature"))
                .isEqualTo("sha256=" + hmac(WHSEC.getBytes(StandardCharsets.UTF_8), body));
        String webhookId = received.header("webhook-id");
        String timestamp = received.header("webhook-timestamp");
        assertThat(webhookId).isEqualTo(JSON.readTree(body).path("message").path("eventId").asText())
                .isEqualTo(received.header("Elements-Webhook-Id"));
        byte[] secret = Base64.getDecoder().decode(WHSEC.substring("whsec_".length()));
        assertThat(received.header("webhook-signature").split(" "))
                .contains("v1," + hmac(secret, webhookId + "." + timestamp + "." + body));
        assertThat(Math.abs(Long.parseLong(timestamp) - System.currentTimeMillis() / 1000)).isLessThan(300);
    }

    @Test
    void reschedulesOnPatchAndStopsOnDelete() throws Exception {
        JsonNode instance = createOverRest(sink.url("/lifecycle"), null, "15");
        String code = lastCode;
        long id = instance.path("id").asLong();
        assertThat(scheduler().scheduledIntervalMs(id)).isEqualTo(15 * 60_000L);

        HttpResponse<String> patched = sendJson("PATCH", "/instances/" + id, ALICE,
                "{\"configuration\": {\"event.poller.refresh_interval\": 0.0167}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(scheduler().scheduledIntervalMs(id)).isEqualTo(1_002L);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursors().find(id, "events").isPresent());
        egnyte.addEvents(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/lifecycle").size() == 2);
        long latest = egnyte.latestEventId();
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(latest).equals(
                JSON.readTree(get("/instances/" + id, ALICE).body()).path("poller").path("cursors").path("events").asText()));

        HttpResponse<String> off = sendJson("PATCH", "/instances/" + id, ALICE,
                "{\"configuration\": {\"event.notification.enabled\": false}}");
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        assertThat(scheduler().isScheduled(id)).isFalse();

        HttpResponse<String> on = sendJson("PATCH", "/instances/" + id, ALICE,
                "{\"configuration\": {\"event.notification.enabled\": true}}");
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        assertThat(scheduler().isScheduled(id)).isTrue();

        HttpResponse<String> deleted = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/instances/" + id))
                .DELETE().header("Authorization", ALICE));
        assertThat(deleted.statusCode()).isBetween(200, 204);
        assertThat(scheduler().isScheduled(id)).isFalse();
        String bearer = "Bearer " + EgnyteSimulator.tokenForCode(code);
        long before = egnyte.requestsTo("/pubapi/").stream().filter(r -> bearer.equals(r.header("Authorization"))).count();
        egnyte.addEvents(2);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                egnyte.requestsTo("/pubapi/").stream().filter(r -> bearer.equals(r.header("Authorization"))).count() == before);
        assertThat(objectIds("/lifecycle")).hasSize(2);
    }

    @Test
    void servesTheSameHubObjectsAtTheDocumentsHub() throws Exception {
        JsonNode instance = createOverRest(sink.url("/hub"), null, "15");
        String element = ALICE + ", Element " + instance.path("token").asText();
        long first = egnyte.addEvent("create", "/Shared/hub-a.docx", false);
        long second = egnyte.addEvent("rename", "/Shared/hub-b.docx", false);

        HttpResponse<String> newest = get("/hubs/documents/events?pageSize=2", element);
        assertThat(newest.statusCode()).as(newest.body()).isEqualTo(200);
        JsonNode objects = JSON.readTree(newest.body());
        assertThat(objects).hasSize(2);
        assertThat(objects.get(0).path("event_object_id").asText()).isEqualTo(String.valueOf(first));
        assertThat(objects.get(0).path("event_type").asText()).isEqualTo("CREATED");
        assertThat(objects.get(1).path("event_type").asText()).isEqualTo("UPDATED");
        assertThat(objects.get(1).path("data").path("target_path").asText()).isEqualTo("/Shared/hub-b.docx");
        assertThat(newest.headers().firstValue("Elements-Next-Page-Token")).hasValue(String.valueOf(second));

        HttpResponse<String> next = get("/hubs/documents/events?pageSize=2&nextPage=" + second, element);
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(next.body())).isEmpty();

        assertThat(get("/hubs/documents/events", ALICE).statusCode()).isEqualTo(401);
        assertThat(get("/hubs/documents/events", BOB + ", Element " + instance.path("token").asText()).statusCode())
                .isEqualTo(401);
        assertThat(get("/hubs/documents/events?pageSize=500", element).statusCode()).isEqualTo(400);
    }

    @Test
    void theDocumentsHubWaitsOutEgnytesPerSecondLimit() throws Exception {
        JsonNode instance = createOverRest(sink.url("/hub-limited"), null, "15");
        long id = instance.path("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> cursors().find(id, "events").isPresent());
        String element = ALICE + ", Element " + instance.path("token").asText();
        long event = egnyte.addEvent("create", "/Shared/hub-limited.docx", false);
        // the newest page's cursor request is refused once, then the next page's events request
        egnyte.rateLimitNext(1, EgnyteSimulator.OVER_QPS, 1);

        HttpResponse<String> newest = get("/hubs/documents/events?pageSize=1", element);

        assertThat(newest.statusCode()).as(newest.body()).isEqualTo(200);
        assertThat(JSON.readTree(newest.body()).get(0).path("event_object_id").asText()).isEqualTo(String.valueOf(event));
        egnyte.rateLimitNext(1, EgnyteSimulator.OVER_QPS, 1);
        HttpResponse<String> next = get("/hubs/documents/events?pageSize=1&nextPage=" + event, element);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
    }

    @Test
    void aHubCallWhoseInstanceIsDeletedMeanwhileAnswers404AndSendsNothingMoreToEgnyte() throws Exception {
        JsonNode instance = createOverRest(sink.url("/hub-deleted"), null, "15");
        long id = instance.path("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> cursors().find(id, "events").isPresent());
        String element = ALICE + ", Element " + instance.path("token").asText();
        String bearer = "Bearer " + instances().find(id).orElseThrow().secrets().accessToken();
        java.util.function.LongSupplier sentWithItsToken = () -> egnyte.requestsTo("/pubapi/").stream()
                .filter(r -> bearer.equals(r.header("Authorization"))).count();
        egnyte.addEvent("create", "/Shared/hub-deleted.docx", false);
        // the hub's first request to Egnyte (the cursor) is slow: the instance is deleted while it runs
        egnyte.delayNext(1, 2_000);
        java.util.concurrent.CompletableFuture<HttpResponse<String>> hub = http.sendAsync(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(baseUrl() + "/hubs/documents/events?pageSize=1"))
                .header("Authorization", element).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> egnyte.inFlight() > 0);
        assertThat(sendJson("DELETE", "/instances/" + id, ALICE, "").statusCode()).isEqualTo(204);
        long sent = sentWithItsToken.getAsLong();

        HttpResponse<String> answer = hub.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
        assertThat(JSON.readTree(answer.body()).path("message").asText()).contains("deleted");
        assertThat(sentWithItsToken.getAsLong()).as("the events request after the cursor was not sent").isEqualTo(sent);
    }
}
