package dev.egnytebridge.delivery;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceApiTestSupport;
import dev.egnytebridge.instance.InstanceSecrets;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.poller.PolledObject;
import org.junit.jupiter.api.Test;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12's API side over real HTTP: {@code POST /instances/{id}/events/replay}, the {@code callbacks} health of
 * {@code GET /instances/{id}}, and re-enabling disabled callback URLs ({@code POST /instances/{id}/callbacks/enable},
 * PATCH). The engine's tables (delivery_endpoint, callback_target) are written directly: setting them is the engine's
 * job, showing and clearing them is what is tested here.
 */
class ReplayAndCallbacksApiTest extends InstanceApiTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        p.setProperty("bridge.delivery.retry-schedule", "100ms");
        p.setProperty("bridge.delivery.dispatch-interval-ms", "50");
        return p;
    }

    // --- replay

    @Test
    void replayResendsEveryNotificationStoredSinceThenWithItsOriginalEventId() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            String url = receiver.url("/hook");
            Instance instance = instance("replay", url);
            Notification oldest = enqueue(instance, "1", url);
            Notification middle = enqueue(instance, "2", url);
            Notification newest = enqueue(instance, "3", url);
            await().atMost(20, SECONDS).until(() -> receiver.requests().size() == 3);
            awaitStatus(oldest, "DELIVERED");
            awaitStatus(middle, "DELIVERED");
            awaitStatus(newest, "DELIVERED");
            createdAt(oldest, "2025-01-01T00:00:00Z");
            createdAt(middle, "2025-01-02T00:00:00Z");
            createdAt(newest, "2025-01-03T00:00:00Z");
            Map<String, String> firstBodies = receiver.requests().stream()
                    .collect(Collectors.toMap(r -> r.header("webhook-id"), WebhookReceiver.Request::body));

            // since is inclusive (created_at >= since), and an offset other than Z means the same instant
            HttpResponse<String> replayed = replay(instance, "{\"since\": \"2025-01-02T02:00:00+02:00\"}", ALICE);
            assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
            JsonNode answer = json(replayed);
            assertThat(answer.get("notifications").asInt()).isEqualTo(2);
            assertThat(answer.get("deliveries").asInt()).isEqualTo(2);
            assertThat(answer.get("instanceId").asLong()).isEqualTo(instance.id());
            assertThat(answer.get("since").asText()).isEqualTo("2025-01-02T00:00:00Z");

            await().atMost(20, SECONDS).until(() -> receiver.requests().size() == 5);
            awaitStatus(middle, "DELIVERED");
            awaitStatus(newest, "DELIVERED");
            List<WebhookReceiver.Request> again = receiver.requests().subList(3, 5);
            assertThat(again).extracting(r -> r.header("webhook-id"))
                    .containsExactlyInAnyOrder(middle.eventId(), newest.eventId());
            again.forEach(r -> assertThat(r.body()).as("the body as first sent").isEqualTo(firstBodies.get(r.header("webhook-id"))));
            // a new round of retries: attempts start again from 0, earlier attempts stay in the history
            JsonNode endpoint = json(get("/instances/events/" + newest.eventId(), ALICE)).at("/endpoints/0");
            assertThat(endpoint.get("attemptCount").asInt()).isEqualTo(1);
            assertThat(endpoint.get("attempts")).hasSize(2);
            assertThat(json(get("/instances/events/" + oldest.eventId(), ALICE)).at("/endpoints/0/attempts")).hasSize(1);

            // a date alone is midnight UTC; nothing stored since: nothing to do
            JsonNode none = json(replay(instance, "{\"since\": \"2025-01-04\"}", ALICE));
            assertThat(none.get("notifications").asInt()).isZero();
            assertThat(none.get("deliveries").asInt()).isZero();
        }
    }

    @Test
    void replayToOneCallbackUrlSendsOnlyThereAndGivesItTheNotificationsStoredBeforeItWasAdded() {
        try (WebhookReceiver first = new WebhookReceiver("first"); WebhookReceiver added = new WebhookReceiver("added")) {
            String firstUrl = first.url("/hook");
            String addedUrl = added.url("/new?token=query-credential-1234");
            Instance instance = instance("replay-one", firstUrl, addedUrl);
            // stored while the instance only had the first URL
            Notification a = enqueue(instance, "1", firstUrl);
            Notification b = enqueue(instance, "2", firstUrl);
            awaitStatus(a, "DELIVERED");
            awaitStatus(b, "DELIVERED");
            assertThat(first.requests()).hasSize(2);

            HttpResponse<String> replayed = replay(instance,
                    "{\"since\": \"2000-01-01T00:00:00Z\", \"callbackUrl\": \"" + addedUrl + "\"}", ALICE);
            assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
            assertThat(json(replayed).get("notifications").asInt()).isEqualTo(2);
            assertThat(json(replayed).get("deliveries").asInt()).as("one added per notification").isEqualTo(2);

            await().atMost(20, SECONDS).until(() -> added.requests().size() == 2);
            assertThat(added.requests()).extracting(r -> r.header("webhook-id"))
                    .containsExactlyInAnyOrder(a.eventId(), b.eventId());
            awaitStatus(a, "DELIVERED");
            awaitStatus(b, "DELIVERED");
            assertThat(first.requests()).as("the other URL is not sent to").hasSize(2);
            assertThat(json(get("/instances/events/" + a.eventId(), ALICE)).get("endpoints")).hasSize(2);
            Long origins = jdbc().queryForObject("SELECT COUNT(*) FROM delivery WHERE endpoint_url = ? AND origin = ?",
                    Long.class, addedUrl, "http://127.0.0.1:" + java.net.URI.create(addedUrl).getPort());
            assertThat(origins).as("added deliveries carry their endpoint").isEqualTo(2);

            // replaying to it again requeues those deliveries instead of adding more
            JsonNode again = json(replay(instance,
                    "{\"since\": \"2000-01-01T00:00:00Z\", \"callbackUrl\": \"" + addedUrl + "\"}", ALICE));
            assertThat(again.get("deliveries").asInt()).isEqualTo(2);
            await().atMost(20, SECONDS).until(() -> added.requests().size() == 4);
            assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM delivery WHERE event_id IN (?, ?)", Long.class,
                    a.eventId(), b.eventId())).isEqualTo(4);
        }
    }

    @Test
    void replayRefusesAMissingOrMalformedSinceAndAForeignCallbackUrlNamingTheField() {
        Instance instance = instance("replay-errors", "http://127.0.0.1:9/hook");
        for (String body : List.of("{}", "{\"since\": null}", "{\"since\": \"\"}", "{\"since\": \"yesterday\"}",
                "{\"since\": \"2025-13-01T00:00:00Z\"}", "{\"since\": \"2025-01-01T00:00:00\"}", "{\"since\": 1735689600}",
                "{\"since\": \"+1000000000-01-01T00:00:00Z\"}", "{\"since\": [\"2025-01-01T00:00:00Z\"]}")) {
            HttpResponse<String> response = replay(instance, body, ALICE);
            assertThat(response.statusCode()).as(body + ": " + response.body()).isEqualTo(400);
            assertThat(json(response).get("field").asText()).as(body).isEqualTo("since");
            assertThat(json(response).get("message").asText()).isNotBlank();
        }

        String foreign = "http://127.0.0.1:9/other?token=foreign-secret-5678";
        HttpResponse<String> notOurs = replay(instance,
                "{\"since\": \"2025-01-01T00:00:00Z\", \"callbackUrl\": \"" + foreign + "\"}", ALICE);
        assertThat(notOurs.statusCode()).as(notOurs.body()).isEqualTo(400);
        assertThat(json(notOurs).get("field").asText()).isEqualTo("callbackUrl");
        assertThat(notOurs.body()).doesNotContain("foreign-secret-5678");

        Map<String, String> others = Map.of(
                "", "body",
                "not json", "body",
                "[]", "body",
                "{\"since\": \"2025-01-01T00:00:00Z\", \"until\": \"2025-02-01T00:00:00Z\"}", "until",
                "{\"since\": \"2025-01-01T00:00:00Z\", \"callbackUrl\": 5}", "callbackUrl");
        others.forEach((body, field) -> {
            HttpResponse<String> response = replay(instance, body, ALICE);
            assertThat(response.statusCode()).as(body + ": " + response.body()).isEqualTo(400);
            assertThat(json(response).get("field").asText()).as(body).isEqualTo(field);
        });

        // the OpenAPI document describes the call
        JsonNode openApi = json(get("/openapi.json", null));
        assertThat(openApi.at("/paths/~1instances~1{id}~1events~1replay/post").toString()).contains("since");
        assertThat(openApi.at("/paths/~1instances~1{id}~1callbacks~1enable/post").toString()).contains("callbackUrl");

        // another user's instance, or none: 404; no credentials: 401
        String valid = "{\"since\": \"2025-01-01T00:00:00Z\"}";
        assertThat(replay(instance, valid, BOB).statusCode()).isEqualTo(404);
        assertThat(sendJson("POST", "/instances/999999/events/replay", ALICE, valid).statusCode()).isEqualTo(404);
        assertThat(replay(instance, valid, null).statusCode()).isEqualTo(401);
    }

    // --- callback health

    @Test
    void instanceShowsEachCallbackUrlsStateWithDisabledBeforeCircuitOpenBeforeThrottled() {
        String healthy = "http://healthy.example/hook";
        String open = "https://open.example:8443/hook";
        String throttled = "http://throttled.example/hook";
        String disabled = "http://open.example-disabled/gone";
        String recovered = "http://recovered.example/hook";
        String alsoOpen = "https://open.example:8443/second?key=k";
        Instance instance = instance("health", healthy, open, throttled, disabled, recovered);
        Instant now = Instant.now();
        endpoint("https://open.example:8443", now.plusSeconds(600), null, now.minusSeconds(3600),
                "HTTP 503 from https://open.example:8443/other-tenant?token=their-secret-42");
        endpoint("http://throttled.example", null, now.plusSeconds(120), null, null);
        endpoint("http://open.example-disabled", now.plusSeconds(600), now.plusSeconds(600), now.minusSeconds(7200), "connect timed out");
        endpoint("http://recovered.example", now.minusSeconds(5), now.minusSeconds(5), null, null);
        jdbc().update("INSERT INTO callback_target (instance_id, url, failing_since, last_error, disabled_at, disabled_reason, "
                        + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", instance.id(), disabled,
                ts(Instant.parse("2025-03-01T10:00:00Z")), "HTTP 410", ts(Instant.parse("2025-03-02T10:00:00Z")),
                "endpoint gone", ts(now));
        Notification n = notification(instance, "1");
        held(n, open, "RETRYING");
        held(n, disabled, "PENDING");
        Notification m = notification(instance, "2");
        held(m, disabled, "PENDING");
        jdbc().update("UPDATE delivery SET status = 'FAILED' WHERE event_id = ? AND endpoint_url = ?", n.eventId(), open);
        held(m, open, "PENDING");

        JsonNode callbacks = json(get("/instances/" + instance.id(), ALICE)).get("callbacks");
        assertThat(callbacks).hasSize(5);
        JsonNode h = callbacks.get(0);
        assertThat(h.get("url").asText()).isEqualTo(healthy);
        assertThat(h.get("state").asText()).isEqualTo("healthy");
        assertThat(h.get("pending").asLong()).isZero();
        assertThat(fieldNames(h)).containsExactlyInAnyOrder("url", "state", "pending");

        JsonNode o = callbacks.get(1);
        assertThat(o.get("state").asText()).isEqualTo("circuit_open");
        assertThat(Instant.parse(o.get("circuitOpenUntil").asText())).isAfter(now);
        assertThat(o.get("lastError").asText()).as("the endpoint is shared: no URL's query string is shown")
                .isEqualTo("HTTP 503 from https://open.example:8443/other-tenant?...");
        assertThat(o.get("failingSince").asText()).isNotBlank();
        assertThat(o.get("pending").asLong()).as("FAILED is not pending").isEqualTo(1);
        assertThat(o.has("disabledReason")).isFalse();

        JsonNode t = callbacks.get(2);
        assertThat(t.get("state").asText()).isEqualTo("throttled");
        assertThat(Instant.parse(t.get("throttledUntil").asText())).isAfter(now);
        assertThat(t.has("circuitOpenUntil")).isFalse();

        JsonNode d = callbacks.get(3);
        assertThat(d.get("state").asText()).as("disabled wins over an open circuit").isEqualTo("disabled");
        assertThat(d.get("disabledReason").asText()).isEqualTo("endpoint gone");
        assertThat(d.get("disabledAt").asText()).isEqualTo("2025-03-02T10:00:00Z");
        assertThat(d.get("failingSince").asText()).as("the URL's own failure first").isEqualTo("2025-03-01T10:00:00Z");
        assertThat(d.get("lastError").asText()).isEqualTo("HTTP 410");
        assertThat(d.get("pending").asLong()).isEqualTo(2);

        assertThat(callbacks.get(4).get("state").asText()).as("a circuit and throttle in the past").isEqualTo("healthy");
        assertThat(callbacks.get(4).has("circuitOpenUntil")).isFalse();

        // the list shows the same; another instance on the same origin shares the endpoint's circuit
        Instance other = instance("health-other", alsoOpen);
        JsonNode list = json(get("/instances", ALICE));
        JsonNode listed = StreamSupport.stream(list.spliterator(), false)
                .filter(i -> i.get("id").asLong() == instance.id()).findFirst().orElseThrow();
        assertThat(listed.get("callbacks")).isEqualTo(callbacks);
        JsonNode otherListed = StreamSupport.stream(list.spliterator(), false)
                .filter(i -> i.get("id").asLong() == other.id()).findFirst().orElseThrow();
        assertThat(otherListed.at("/callbacks/0/state").asText()).isEqualTo("circuit_open");
        assertThat(otherListed.at("/callbacks/0/pending").asLong()).isZero();
    }

    // --- enabling

    @Test
    void enablingADisabledUrlClearsItAndDeliversItsHeldNotifications() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            String url = receiver.url("/hook");
            String otherUrl = "http://127.0.0.1:9/other";
            Instance instance = instance("enable", url, otherUrl);
            disable(instance, url, "failing since 2025-03-01T10:00:00Z: HTTP 503");
            disable(instance, otherUrl, "endpoint gone");
            Notification n = notification(instance, "1");
            held(n, url, "PENDING");

            HttpResponse<String> foreign = enable(instance, "{\"callbackUrl\": \"http://127.0.0.1:9/not-ours\"}", ALICE);
            assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(400);
            assertThat(json(foreign).get("field").asText()).isEqualTo("callbackUrl");
            assertThat(enable(instance, "{\"callbackUrl\": \"" + url + "\"}", BOB).statusCode()).isEqualTo(404);
            assertThat(enable(instance, "{\"url\": \"" + url + "\"}", ALICE).statusCode()).isEqualTo(400);

            HttpResponse<String> enabled = enable(instance, "{\"callbackUrl\": \"" + url + "\"}", ALICE);
            assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
            JsonNode answer = json(enabled);
            assertThat(answer.get("enabled").asInt()).isEqualTo(1);
            assertThat(answer.get("released").asInt()).isEqualTo(1);
            assertThat(answer.at("/callbacks/0/url").asText()).isEqualTo(url);
            assertThat(answer.at("/callbacks/0/state").asText()).isEqualTo("healthy");
            assertThat(answer.at("/callbacks/1/state").asText()).as("only the URL named").isEqualTo("disabled");
            Map<String, Object> row = jdbc().queryForMap("SELECT disabled_at, disabled_reason, failing_since, last_error "
                    + "FROM callback_target WHERE instance_id = ? AND url = ?", instance.id(), url);
            assertThat(row.values()).containsOnlyNulls();

            await().atMost(20, SECONDS).until(() -> receiver.requests().size() == 1);
            assertThat(receiver.requests().get(0).header("webhook-id")).isEqualTo(n.eventId());
            awaitStatus(n, "DELIVERED");

            // enabling a URL that is not disabled changes nothing; no callbackUrl: every disabled URL
            assertThat(json(enable(instance, "{\"callbackUrl\": \"" + url + "\"}", ALICE)).get("enabled").asInt()).isZero();
            HttpResponse<String> all = enable(instance, "", ALICE);
            assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
            assertThat(json(all).get("enabled").asInt()).isEqualTo(1);
            assertThat(json(all).get("callbacks")).allSatisfy(c -> assertThat(c.get("state").asText()).isEqualTo("healthy"));
        }
    }

    @Test
    void aPatchThatSetsTheCallbackUrlsEnablesTheDisabledOnesItLists() {
        HttpResponse<String> created = create(ALICE, seed("patch-enable-code"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        long id = json(created).get("id").asLong();
        assertThat(json(created).at("/callbacks/0/state").asText()).isEqualTo("healthy");
        Instance instance = store().find(id).orElseThrow();
        disable(instance, "http://mycoolapp.com", "endpoint gone");
        assertThat(json(get("/instances/" + id, ALICE)).at("/callbacks/0/state").asText()).isEqualTo("disabled");

        // a PATCH that does not set the callback URLs leaves them as they are
        HttpResponse<String> renamed = sendJson("PATCH", "/instances/" + id, ALICE, "{\"name\": \"renamed\"}");
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(json(renamed).at("/callbacks/0/state").asText()).isEqualTo("disabled");

        HttpResponse<String> patched = sendJson("PATCH", "/instances/" + id, ALICE,
                "{\"configuration\": {\"event.notification.callback.url\": \"http://mycoolapp.com\"}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).at("/callbacks/0/state").asText()).isEqualTo("healthy");
        assertThat(json(patched).at("/callbacks/0").has("disabledReason")).isFalse();
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM callback_target WHERE instance_id = ? AND disabled_at IS NOT NULL",
                Long.class, id)).isZero();
    }

    // --- helpers

    private HttpResponse<String> replay(Instance instance, String body, String authorization) {
        return sendJson("POST", "/instances/" + instance.id() + "/events/replay", authorization, body);
    }

    private HttpResponse<String> enable(Instance instance, String body, String authorization) {
        return sendJson("POST", "/instances/" + instance.id() + "/callbacks/enable", authorization, body);
    }

    /** An instance of alice's with these callback URLs (stored directly: no Egnyte grant needed, never polled). */
    private Instance instance(String name, String... callbackUrls) {
        ObjectNode configuration = JSON.createObjectNode().put("subdomain", "acme")
                .put("event.notification.enabled", true)
                .put("event.notification.callback.url", String.join(",", callbackUrls));
        return store().insert("alice", name, "egnyte", "acme", configuration,
                new InstanceSecrets("access-token", "api-secret", null), List.of(), true,
                UUID.randomUUID().toString().replace("-", ""));
    }

    private Notification notification(Instance instance, String objectId) {
        NotificationFactory factory = context.getRegistry().lookupByNameAndType("notificationFactory", NotificationFactory.class);
        ObjectNode raw = JSON.createObjectNode().put("id", Long.parseLong(objectId)).put("action", "create");
        return factory.build(instance, "events",
                List.of(new PolledObject("events", objectId, "CREATED", "2025-05-28T11:41:12Z", raw, "events:" + objectId)));
    }

    private Notification enqueue(Instance instance, String objectId, String... urls) {
        Notification n = notification(instance, objectId);
        context.getRegistry().lookupByNameAndType("outbox", Outbox.class).enqueue(n, List.of(urls));
        return n;
    }

    /**
     * Stores the notification if it is not yet, with a delivery to {@code url} in {@code status} that is not due for
     * a day: what the engine holds for a disabled URL (or waits behind an open circuit).
     */
    private void held(Notification n, String url, String status) {
        Instant now = Instant.now();
        if (jdbc().queryForObject("SELECT COUNT(*) FROM notification WHERE event_id = ?", Long.class, n.eventId()) == 0) {
            jdbc().update("INSERT INTO notification (event_id, instance_id, resource, object_count, body, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", n.eventId(), n.instanceId(), n.resource(), n.objectCount(), n.body(), ts(now));
        }
        jdbc().update("INSERT INTO delivery (event_id, instance_id, endpoint_url, status, attempts, next_attempt_at, updated_at) "
                + "VALUES (?, ?, ?, ?, 0, ?, ?)", n.eventId(), n.instanceId(), url, status, ts(now.plus(Duration.ofDays(1))), ts(now));
    }

    private void disable(Instance instance, String url, String reason) {
        Instant now = Instant.now();
        jdbc().update("INSERT INTO callback_target (instance_id, url, failing_since, last_error, disabled_at, disabled_reason, "
                + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", instance.id(), url, ts(now.minusSeconds(60)), "HTTP 410",
                ts(now), reason, ts(now));
    }

    private void endpoint(String origin, Instant openUntil, Instant throttledUntil, Instant failingSince, String lastError) {
        jdbc().update("INSERT INTO delivery_endpoint (origin, consecutive_failures, open_until, open_seconds, throttled_until, "
                        + "failing_since, last_error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                origin, openUntil == null ? 0 : 5, ts(openUntil), openUntil == null ? null : 30, ts(throttledUntil),
                ts(failingSince), lastError, ts(Instant.now()));
    }

    private void createdAt(Notification n, String instant) {
        jdbc().update("UPDATE notification SET created_at = ? WHERE event_id = ?", ts(Instant.parse(instant)), n.eventId());
    }

    private void awaitStatus(Notification n, String status) {
        await().atMost(20, SECONDS).until(() -> status.equals(json(get("/instances/events/" + n.eventId(), ALICE)).path("status").asText()));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private InstanceStore store() {
        return context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
    }
}
