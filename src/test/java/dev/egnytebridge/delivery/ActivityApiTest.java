package dev.egnytebridge.delivery;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egnytebridge.delivery.WebhookReceiver.Reply;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceApiTestSupport;
import org.junit.jupiter.api.Test;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /instances/{id}/activity}: an instance's deliveries hour by hour, over real HTTP. */
class ActivityApiTest extends InstanceApiTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        p.setProperty("bridge.delivery.retry-schedule", "100ms");
        return p;
    }

    @Test
    void countsEachHoursDeliveredAndEndedFailedDeliveriesOldestFirstWithEveryHourPresent() {
        Instance instance = OutboxFixture.instance(context, "hourly", null);
        Instance other = OutboxFixture.instance(context, "other", null);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Instant oneHourAgo = hour.minus(Duration.ofHours(1)).plusSeconds(60);
        Instant threeHoursAgo = hour.minus(Duration.ofHours(3)).plusSeconds(60);
        Instant fiveHoursAgo = hour.minus(Duration.ofHours(5)).plusSeconds(60);
        // delivered: two in one hour (one of them after a failed attempt), one three hours ago
        long a = delivery(instance, "DELIVERED", oneHourAgo);
        attempt(a, oneHourAgo, 200);
        long b = delivery(instance, "DELIVERED", oneHourAgo.plusSeconds(30));
        attempt(b, oneHourAgo, 500);
        attempt(b, oneHourAgo.plusSeconds(30), 204);
        long c = delivery(instance, "DELIVERED", threeHoursAgo);
        attempt(c, threeHoursAgo, 200);
        // failed: a dead letter three hours ago, one answered 410 Gone five hours ago; a retrying one is not failed yet
        long d = delivery(instance, "FAILED", threeHoursAgo);
        attempt(d, threeHoursAgo, 500);
        long e = delivery(instance, "GONE", fiveHoursAgo);
        attempt(e, fiveHoursAgo, 410);
        long f = delivery(instance, "RETRYING", oneHourAgo);
        attempt(f, oneHourAgo, 503);
        // out of the window, and another instance's
        long old = delivery(instance, "FAILED", hour.minus(Duration.ofHours(30)));
        attempt(old, hour.minus(Duration.ofHours(30)), 200);
        long others = delivery(other, "DELIVERED", oneHourAgo);
        attempt(others, oneHourAgo, 200);

        HttpResponse<String> response = get("/instances/" + instance.id() + "/activity", ALICE);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode hours = json(response);
        assertThat(hours).as("24 hours by default").hasSize(24);
        Instant last = Instant.parse(hours.get(23).get("hour").asText());
        assertThat(last).as("the current hour is the last").isBetween(hour, Instant.now().truncatedTo(ChronoUnit.HOURS));
        for (int i = 0; i < 24; i++) {
            assertThat(Instant.parse(hours.get(i).get("hour").asText()))
                    .as("every hour, oldest first").isEqualTo(last.minus(Duration.ofHours(23L - i)));
            assertThat(hours.get(i).get("pollLagMsMax").isNull()).as("never polled: no poll lag").isTrue();
        }
        Map<Instant, int[]> byHour = new HashMap<>();
        int delivered = 0;
        int failed = 0;
        for (JsonNode h : hours) {
            byHour.put(Instant.parse(h.get("hour").asText()), new int[] {h.get("delivered").asInt(), h.get("failed").asInt()});
            delivered += h.get("delivered").asInt();
            failed += h.get("failed").asInt();
        }
        assertThat(byHour.get(hour.minus(Duration.ofHours(1)))).containsExactly(2, 0);
        assertThat(byHour.get(hour.minus(Duration.ofHours(3)))).containsExactly(1, 1);
        assertThat(byHour.get(hour.minus(Duration.ofHours(5)))).containsExactly(0, 1);
        assertThat(delivered).isEqualTo(3);
        assertThat(failed).isEqualTo(2);
    }

    @Test
    void countsWhatTheBridgeReallyDeliveredAndDeadLetteredInTheCurrentHour() {
        try (WebhookReceiver ok = new WebhookReceiver("ok"); WebhookReceiver broken = new WebhookReceiver("broken")) {
            broken.replying(n -> Reply.status(500));
            Instance instance = OutboxFixture.instance(context, "live", null);
            Notification n = OutboxFixture.enqueue(context, instance, ok.url("/a"), broken.url("/b"));
            await().atMost(20, SECONDS).until(() -> OutboxFixture.statuses(context, n).equals(List.of("DELIVERED", "FAILED")));

            JsonNode hours = json(get("/instances/" + instance.id() + "/activity?hours=2", ALICE));
            assertThat(hours).hasSize(2);
            int delivered = hours.get(0).get("delivered").asInt() + hours.get(1).get("delivered").asInt();
            int failed = hours.get(0).get("failed").asInt() + hours.get(1).get("failed").asInt();
            assertThat(delivered).isEqualTo(1);
            assertThat(failed).as("one dead letter, however many attempts it took").isEqualTo(1);
        }
    }

    @Test
    void answersFromOneTo168HoursAndABadHoursWith400NamingIt() {
        Instance instance = OutboxFixture.instance(context, "range", null);
        assertThat(json(get("/instances/" + instance.id() + "/activity?hours=1", ALICE))).hasSize(1);
        JsonNode week = json(get("/instances/" + instance.id() + "/activity?hours=168", ALICE));
        assertThat(week).hasSize(168)
                .allSatisfy(h -> {
                    assertThat(h.get("delivered").asInt()).isZero();
                    assertThat(h.get("failed").asInt()).isZero();
                });
        for (String bad : List.of("0", "169", "abc", "2.5")) {
            HttpResponse<String> response = get("/instances/" + instance.id() + "/activity?hours=" + bad, ALICE);
            assertThat(response.statusCode()).as(bad + ": " + response.body()).isEqualTo(400);
            assertThat(json(response).get("field").asText()).isEqualTo("hours");
        }
        assertThat(get("/instances/" + instance.id() + "/activity", BOB).statusCode()).as("another user's").isEqualTo(404);
        assertThat(get("/instances/999999/activity", ALICE).statusCode()).isEqualTo(404);
        assertThat(get("/instances/" + instance.id() + "/activity", null).statusCode()).isEqualTo(401);
    }

    // --- helpers

    /** A stored notification's delivery in this status, last changed at {@code updatedAt}, not due. */
    private long delivery(Instance instance, String status, Instant updatedAt) {
        String eventId = UUID.randomUUID().toString();
        jdbc().update("INSERT INTO notification (event_id, instance_id, resource, object_count, body, created_at) "
                + "VALUES (?, ?, 'events', 1, '{}', ?)", eventId, instance.id(), Timestamp.from(updatedAt));
        jdbc().update("INSERT INTO delivery (event_id, instance_id, endpoint_url, status, attempts, next_attempt_at, "
                        + "updated_at, origin) VALUES (?, ?, 'http://127.0.0.1:9/hook', ?, 1, ?, ?, 'http://127.0.0.1:9')",
                eventId, instance.id(), status, Timestamp.from(Instant.now().plus(Duration.ofDays(1))), Timestamp.from(updatedAt));
        Long id = jdbc().queryForObject("SELECT id FROM delivery WHERE event_id = ?", Long.class, eventId);
        return id == null ? -1 : id;
    }

    private void attempt(long deliveryId, Instant at, int httpStatus) {
        jdbc().update("INSERT INTO delivery_attempt (delivery_id, attempted_at, http_status, error, duration_ms) "
                + "VALUES (?, ?, ?, NULL, 5)", deliveryId, Timestamp.from(at), httpStatus);
    }
}
