package dev.egnytebridge.delivery;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceApiTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /instances/{id}/events} filtered by status and by when notifications were stored, over real HTTP, with
 * {@code X-Total-Count}. The notifications and their deliveries are stored in the states the test needs, with nothing
 * due, so no delivery changes them while the test reads them.
 */
class EventHistoryFiltersTest extends InstanceApiTestSupport {

    @Test
    void filtersByTheStatusTheHistoryReportsOneOrSeveralCommaSeparated() {
        Instance instance = OutboxFixture.instance(context, "statuses", null);
        String delivered = stored(instance, "2026-11-01T00:00:00Z", "DELIVERED", "DELIVERED");
        String failed = stored(instance, "2026-11-02T00:00:00Z", "DELIVERED", "FAILED");
        String gone = stored(instance, "2026-11-03T00:00:00Z", "GONE");
        String retrying = stored(instance, "2026-11-04T00:00:00Z", "FAILED", "RETRYING");
        String pending = stored(instance, "2026-11-05T00:00:00Z", "PENDING", "DELIVERED");

        assertThat(eventIds(instance, "status=FAILED")).containsExactly(gone, failed);
        assertThat(eventIds(instance, "status=DELIVERED")).containsExactly(delivered);
        assertThat(eventIds(instance, "status=RETRYING")).containsExactly(retrying);
        assertThat(eventIds(instance, "status=PENDING")).containsExactly(pending);
        assertThat(eventIds(instance, "status=failed,%20RETRYING")).containsExactly(retrying, gone, failed);
        assertThat(eventIds(instance, "")).containsExactly(pending, retrying, gone, failed, delivered);

        for (String status : List.of("PENDING", "RETRYING", "DELIVERED", "FAILED")) {
            JsonNode page = json(events(instance, "status=" + status));
            assertThat(page).as(status).isNotEmpty()
                    .allSatisfy(n -> assertThat(n.get("status").asText()).isEqualTo(status));
        }
    }

    @Test
    void filtersByWhenTheyWereStoredFromSinceInclusiveToUntilExclusive() {
        Instance instance = OutboxFixture.instance(context, "dates", null);
        String first = stored(instance, "2026-11-30T23:59:59Z", "DELIVERED");
        String second = stored(instance, "2026-12-01T00:00:00Z", "DELIVERED");
        String third = stored(instance, "2026-12-01T10:00:00Z", "FAILED");
        String fourth = stored(instance, "2026-12-02T00:00:00Z", "DELIVERED");

        assertThat(eventIds(instance, "since=2026-12-01T00:00:00Z")).containsExactly(fourth, third, second);
        assertThat(eventIds(instance, "until=2026-12-01T00:00:00Z")).containsExactly(first);
        assertThat(eventIds(instance, "since=2026-12-01&until=2026-12-02")).containsExactly(third, second);
        assertThat(eventIds(instance, "since=2026-12-01T02:00:00%2B02:00&until=2026-12-01T12:00:00Z"))
                .as("an offset other than Z").containsExactly(third, second);
        assertThat(eventIds(instance, "since=2026-12-01&until=2026-12-03&status=DELIVERED"))
                .containsExactly(fourth, second);
    }

    @Test
    void tellsHowManyMatchInXTotalCountAndPagesThroughTheMatchesOnly() {
        Instance instance = OutboxFixture.instance(context, "count", null);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            failed.add(0, stored(instance, start.plus(Duration.ofHours(2L * i)).toString(), "FAILED"));
            stored(instance, start.plus(Duration.ofHours(2L * i + 1)).toString(), "DELIVERED");
        }

        HttpResponse<String> all = events(instance, "pageSize=3");
        assertThat(all.headers().firstValue("X-Total-Count")).hasValue("10");
        assertThat(json(all)).hasSize(3);

        HttpResponse<String> lastPage = events(instance, "status=FAILED&pageSize=2&page=3");
        assertThat(lastPage.statusCode()).as(lastPage.body()).isEqualTo(200);
        assertThat(lastPage.headers().firstValue("X-Total-Count")).hasValue("5");
        assertThat(json(lastPage).isArray()).as("the body stays a plain array").isTrue();
        assertThat(json(lastPage)).hasSize(1);
        assertThat(json(lastPage).get(0).get("eventId").asText()).isEqualTo(failed.get(4));
        List<String> firstPage = new ArrayList<>();
        json(events(instance, "status=FAILED&pageSize=2&page=1")).forEach(n -> firstPage.add(n.get("eventId").asText()));
        assertThat(firstPage).containsExactlyElementsOf(failed.subList(0, 2));

        HttpResponse<String> beyond = events(instance, "status=FAILED&pageSize=2&page=4");
        assertThat(json(beyond)).isEmpty();
        assertThat(beyond.headers().firstValue("X-Total-Count")).hasValue("5");
        assertThat(events(instance, "status=PENDING").headers().firstValue("X-Total-Count")).hasValue("0");
    }

    @Test
    void answersABadFilterWith400NamingTheParameter() {
        Instance instance = OutboxFixture.instance(context, "bad", null);
        for (String[] bad : List.of(
                new String[] {"status=BOGUS", "status"},
                new String[] {"status=GONE", "status"},
                new String[] {"status=FAILED,,DELIVERED", "status"},
                new String[] {"since=yesterday", "since"},
                new String[] {"since=2026-12-01T10:00:00", "since"},
                new String[] {"until=2026-13-01", "until"},
                new String[] {"since=2026-12-02&until=2026-12-01", "until"},
                new String[] {"since=2026-12-01&until=2026-12-01", "until"},
                new String[] {"status=FAILED&page=0", "page"},
                new String[] {"since=2026-12-01&pageSize=201", "pageSize"})) {
            HttpResponse<String> response = events(instance, bad[0]);
            assertThat(response.statusCode()).as(bad[0] + ": " + response.body()).isEqualTo(400);
            assertThat(json(response).get("field").asText()).as(bad[0]).isEqualTo(bad[1]);
            assertThat(json(response).get("message").asText()).as(bad[0]).isNotBlank();
        }
        assertThat(get("/instances/" + instance.id() + "/events?status=FAILED", BOB).statusCode())
                .as("another user's instance").isEqualTo(404);
    }

    // --- helpers

    private HttpResponse<String> events(Instance instance, String query) {
        return get("/instances/" + instance.id() + "/events" + (query.isEmpty() ? "" : "?" + query), ALICE);
    }

    /** The event ids of the one page that holds every match (so X-Total-Count is its size). */
    private List<String> eventIds(Instance instance, String query) {
        HttpResponse<String> response = events(instance, query);
        assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(response).forEach(n -> ids.add(n.get("eventId").asText()));
        assertThat(response.headers().firstValue("X-Total-Count")).as(query).hasValue(String.valueOf(ids.size()));
        return ids;
    }

    /** A notification stored at {@code createdAt} with one delivery in each status, none of them due. */
    private String stored(Instance instance, String createdAt, String... statuses) {
        String eventId = UUID.randomUUID().toString();
        Timestamp later = Timestamp.from(Instant.now().plus(Duration.ofDays(1)));
        Timestamp now = Timestamp.from(Instant.now());
        jdbc().update("INSERT INTO notification (event_id, instance_id, resource, object_count, body, created_at) "
                + "VALUES (?, ?, 'events', 1, '{}', ?)", eventId, instance.id(), Timestamp.from(Instant.parse(createdAt)));
        int i = 0;
        for (String status : statuses) {
            jdbc().update("INSERT INTO delivery (event_id, instance_id, endpoint_url, status, attempts, next_attempt_at, "
                    + "updated_at, origin) VALUES (?, ?, ?, ?, 1, ?, ?, 'http://127.0.0.1:9')", eventId, instance.id(),
                    "http://127.0.0.1:9/hook" + i++, status, later, now);
        }
        return eventId;
    }
}
