package dev.egnytebridge.delivery;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.delivery.WebhookReceiver.Reply;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceApiTestSupport;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.poller.PolledObject;
import org.junit.jupiter.api.Test;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The event history REST API (routes/events-api.yaml) over real HTTP, with deliveries to receivers on loopback. */
class EventsApiTest extends InstanceApiTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        p.setProperty("bridge.delivery.retry-schedule", "100ms");
        return p;
    }

    @Test
    void listsAnInstancesNotificationsNewestFirstPagedWithStatusAndAttempts() {
        try (WebhookReceiver ok = new WebhookReceiver("ok"); WebhookReceiver broken = new WebhookReceiver("broken")) {
            broken.replying(n -> Reply.status(500));
            Instance instance = instance("list");
            Notification oldest = enqueue(instance, "1", ok.url("/a"));
            Notification middle = enqueue(instance, "2", ok.url("/a"), broken.url("/b"));
            Notification newest = enqueue(instance, "3", ok.url("/a"));
            createdAt(oldest, "2025-01-01T00:00:00Z");
            createdAt(middle, "2025-01-02T00:00:00Z");
            createdAt(newest, "2025-01-03T00:00:00Z");
            awaitStatus(middle, "FAILED");
            awaitStatus(newest, "DELIVERED");
            awaitStatus(oldest, "DELIVERED");

            HttpResponse<String> first = get("/instances/" + instance.id() + "/events?page=1&pageSize=2", ALICE);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            JsonNode page = json(first);
            assertThat(page).hasSize(2);
            assertThat(page.get(0).get("eventId").asText()).isEqualTo(newest.eventId());
            assertThat(page.get(0).get("status").asText()).isEqualTo("DELIVERED");
            assertThat(page.get(0).get("objectCount").asInt()).isEqualTo(1);
            assertThat(page.get(0).get("objectIds").get(0).asText()).isEqualTo("3");
            assertThat(page.get(0).has("body")).as("bodies only in the single view").isFalse();

            JsonNode failed = page.get(1);
            assertThat(failed.get("eventId").asText()).isEqualTo(middle.eventId());
            assertThat(failed.get("status").asText()).isEqualTo("FAILED");
            JsonNode endpoints = failed.get("endpoints");
            assertThat(endpoints).hasSize(2);
            assertThat(endpoints.get(0).get("status").asText()).isEqualTo("DELIVERED");
            assertThat(endpoints.get(0).get("attempts").get(0).get("httpStatus").asInt()).isEqualTo(200);
            assertThat(endpoints.get(1).get("status").asText()).isEqualTo("FAILED");
            assertThat(endpoints.get(1).get("attempts")).hasSize(2)
                    .allSatisfy(a -> {
                        assertThat(a.get("httpStatus").asInt()).isEqualTo(500);
                        assertThat(a.get("date").asText()).isNotBlank();
                    });

            JsonNode second = json(get("/instances/" + instance.id() + "/events?page=2&pageSize=2", ALICE));
            assertThat(second).hasSize(1);
            assertThat(second.get(0).get("eventId").asText()).isEqualTo(oldest.eventId());
            assertThat(json(get("/instances/" + instance.id() + "/events", ALICE))).hasSize(3);
        }
    }

    @Test
    void recordsAnUnreachableEndpointsErrorInItsAttempts() {
        Instance instance = instance("unreachable");
        Notification n = enqueue(instance, "9", "http://127.0.0.1:" + org.apache.camel.test.AvailablePortFinder.getNextAvailable() + "/x");
        awaitStatus(n, "FAILED");
        JsonNode attempt = json(get("/instances/events/" + n.eventId(), ALICE)).at("/endpoints/0/attempts/0");
        assertThat(attempt.get("httpStatus").isNull()).isTrue();
        assertThat(attempt.get("error").asText()).isNotBlank();
    }

    @Test
    void showsOneNotificationWithItsBodyAsJson() {
        try (WebhookReceiver ok = new WebhookReceiver("ok")) {
            Instance instance = instance("single");
            Notification n = enqueue(instance, "42", ok.url("/a"));
            awaitStatus(n, "DELIVERED");

            HttpResponse<String> response = get("/instances/events/" + n.eventId(), ALICE);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode event = json(response);
            assertThat(event.get("eventId").asText()).isEqualTo(n.eventId());
            assertThat(event.get("instanceId").asLong()).isEqualTo(instance.id());
            assertThat(event.get("status").asText()).isEqualTo("DELIVERED");
            assertThat(event.at("/body/message/eventId").asText()).isEqualTo(n.eventId());
            assertThat(event.at("/body/message/events/0/objectId").asText()).isEqualTo("42");
            assertThat(event.at("/endpoints/0/attempts/0/httpStatus").asInt()).isEqualTo(200);
        }
    }

    @Test
    void anotherUsersInstanceAndEventsAnswer404() {
        Instance instance = instance("private");
        Notification n = enqueue(instance, "7", "http://127.0.0.1:9/never");
        String id = String.valueOf(instance.id());
        for (HttpResponse<String> response : List.of(
                get("/instances/" + id + "/events", BOB),
                get("/instances/events/" + n.eventId(), BOB),
                sendJson("POST", "/instances/" + id + "/events/" + n.eventId() + "/retry", BOB, ""),
                sendJson("POST", "/instances/" + id + "/events/retry", BOB, ""),
                get("/instances/events/no-such-event", ALICE),
                get("/instances/999999/events", ALICE))) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
            assertThat(json(response).get("message").asText()).isNotBlank();
        }
        assertThat(get("/instances/events/" + n.eventId(), null).statusCode()).isEqualTo(401);
    }

    @Test
    void retriesAFailedNotificationAndReplaysADeliveredOne() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            receiver.replying(n -> n < 2 ? Reply.status(500) : Reply.status(200));
            Instance instance = instance("retry");
            Notification n = enqueue(instance, "5", receiver.url("/hook"));
            awaitStatus(n, "FAILED");
            String path = "/instances/" + instance.id() + "/events/" + n.eventId() + "/retry";

            HttpResponse<String> retried = sendJson("POST", path, ALICE, "");
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
            assertThat(json(retried).get("requeued").asInt()).isEqualTo(1);
            awaitStatus(n, "DELIVERED");
            assertThat(receiver.requests()).hasSize(3);

            // a replay of a delivered notification: same eventId and body, sent again
            assertThat(json(sendJson("POST", path, ALICE, "")).get("requeued").asInt()).isEqualTo(1);
            await().atMost(20, SECONDS).until(() -> receiver.requests().size() == 4);
            awaitStatus(n, "DELIVERED");
            assertThat(receiver.requests().get(3).header("webhook-id")).isEqualTo(n.eventId());
            assertThat(receiver.requests().get(3).body()).isEqualTo(receiver.requests().get(0).body());
            JsonNode attempts = json(get("/instances/events/" + n.eventId(), ALICE)).at("/endpoints/0/attempts");
            assertThat(attempts).as("earlier attempts stay in the history").hasSize(4);

            // an event of another instance of the same user is not found under this one
            Instance other = instance("other");
            assertThat(sendJson("POST", "/instances/" + other.id() + "/events/" + n.eventId() + "/retry", ALICE, "")
                    .statusCode()).isEqualTo(404);
        }
    }

    @Test
    void bulkRetryRequeuesTheInstancesFailedDeliveries() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            receiver.replying(n -> n < 4 ? Reply.status(503) : Reply.status(204));
            Instance instance = instance("bulk");
            Notification a = enqueue(instance, "1", receiver.url("/hook"));
            Notification b = enqueue(instance, "2", receiver.url("/hook"));
            awaitStatus(a, "FAILED");
            awaitStatus(b, "FAILED");

            HttpResponse<String> retried = sendJson("POST", "/instances/" + instance.id() + "/events/retry", ALICE, "");
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
            assertThat(json(retried).get("requeued").asInt()).isEqualTo(2);
            assertThat(json(retried).get("instanceId").asLong()).isEqualTo(instance.id());
            awaitStatus(a, "DELIVERED");
            awaitStatus(b, "DELIVERED");
            assertThat(json(sendJson("POST", "/instances/" + instance.id() + "/events/retry", ALICE, ""))
                    .get("requeued").asInt()).isZero();
        }
    }

    @Test
    void eventPathsDoNotClashWithInstancePaths() {
        HttpResponse<String> created = create(ALICE, seed("clash-code"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = json(created).get("id").asText();

        HttpResponse<String> instance = get("/instances/" + id, ALICE);
        assertThat(instance.statusCode()).isEqualTo(200);
        assertThat(json(instance).get("name").asText()).isEqualTo("API_Polling");
        HttpResponse<String> events = get("/instances/" + id + "/events", ALICE);
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(json(events).isArray()).isTrue();

        Notification n = enqueue(store().findOwned(Long.parseLong(id), "alice").orElseThrow(), "1", "http://127.0.0.1:9/x");
        HttpResponse<String> event = get("/instances/events/" + n.eventId(), ALICE);
        assertThat(event.statusCode()).as(event.body()).isEqualTo(200);
        assertThat(json(event).get("eventId").asText()).isEqualTo(n.eventId());

        // GET /instances/events is the history of all the caller's instances, not an instance named "events"
        HttpResponse<String> allEvents = get("/instances/events", ALICE);
        assertThat(allEvents.statusCode()).as(allEvents.body()).isEqualTo(200);
        assertThat(allEvents.body()).contains(n.eventId());
        assertThat(get("/instances/polling-disabled", ALICE).statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsBadPagingNamingTheParameter() {
        Instance instance = instance("paging");
        for (String query : List.of("page=0", "page=abc", "pageSize=0", "pageSize=201", "pageSize=1e3", "page=99999999999")) {
            HttpResponse<String> response = get("/instances/" + instance.id() + "/events?" + query, ALICE);
            assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(400);
            assertThat(json(response).get("field").asText()).isEqualTo(query.substring(0, query.indexOf('=')));
        }
    }

    @Test
    void allowPrivateLetsLoopbackThrough() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(seed("loopback-code"));
        ((ObjectNode) body.get("configuration")).put("event.notification.callback.url", "http://127.0.0.1:8081/hook");
        HttpResponse<String> created = create(ALICE, JSON.writeValueAsString(body));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            Notification n = enqueue(instance("loopback"), "1", receiver.url("/hook").replace("127.0.0.1", "localhost"));
            awaitStatus(n, "DELIVERED");
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    // --- helpers

    private Instance instance(String name) {
        ObjectNode configuration = JSON.createObjectNode().put("subdomain", "acme");
        return store().insert("alice", name, "egnyte", "acme", configuration,
                new dev.egnytebridge.instance.InstanceSecrets("access-token", "api-secret", null), List.of(), true,
                java.util.UUID.randomUUID().toString().replace("-", ""));
    }

    private Notification enqueue(Instance instance, String objectId, String... urls) {
        NotificationFactory factory = context.getRegistry().lookupByNameAndType("notificationFactory", NotificationFactory.class);
        ObjectNode raw = JSON.createObjectNode().put("id", Long.parseLong(objectId)).put("action", "create");
        Notification n = factory.build(instance, "events",
                List.of(new PolledObject("events", objectId, "CREATED", "2025-05-28T11:41:12Z", raw, "events:" + objectId)));
        context.getRegistry().lookupByNameAndType("outbox", Outbox.class).enqueue(n, List.of(urls));
        return n;
    }

    private void createdAt(Notification n, String instant) {
        jdbc().update("UPDATE notification SET created_at = ? WHERE event_id = ?", Timestamp.from(Instant.parse(instant)), n.eventId());
    }

    private void awaitStatus(Notification n, String status) {
        await().atMost(20, SECONDS).until(() -> status.equals(json(get("/instances/events/" + n.eventId(), ALICE)).path("status").asText()));
    }

    private InstanceStore store() {
        return context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
    }

}
