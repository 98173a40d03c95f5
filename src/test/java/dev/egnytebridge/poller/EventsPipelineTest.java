package dev.egnytebridge.poller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.sandbox.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventsPipelineTest extends PipelineTestSupport {

    @Test
    void firstPollStartsFromNowThenDeliversNewEvents() throws Exception {
        egnyte.addEvents(5);
        long latestBefore = egnyte.latestEventId();
        Instance instance = createInstance(sink.url("/first"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> String.valueOf(latestBefore).equals(cursorOf(instance, "events")));

        long created = egnyte.addEvent("create", "/Shared/new.docx", false);
        long deleted = egnyte.addEvent("delete", "/Shared/old.docx", false);
        long moved = egnyte.addEvent("move", "/Shared/moved.docx", false);

        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/first").size() == 3);
        assertThat(objectIds("/first")).containsExactly(String.valueOf(created), String.valueOf(deleted), String.valueOf(moved));
        JsonNode message = messages("/first").get(0);
        assertThat(message.path("instanceId").asLong()).isEqualTo(instance.id());
        assertThat(message.path("instance_id").asLong()).isEqualTo(instance.id());
        assertThat(message.path("instanceName").asText()).isEqualTo("API_Polling");
        assertThat(message.path("elementKey").asText()).isEqualTo("egnyte");
        assertThat(message.path("eventId").asText()).isNotBlank();
        List<String> types = new ArrayList<>();
        message.path("events").forEach(e -> types.add(e.path("eventType").asText()));
        assertThat(types).containsExactly("CREATED", "DELETED", "UPDATED");
        JsonNode first = message.path("events").get(0);
        assertThat(first.path("objectType").asText()).isEqualTo("events");
        assertThat(first.path("date").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        JsonNode raw = message.path("raw");
        assertThat(raw.path("objectType").asText()).isEqualTo("events");
        assertThat(raw.path("events")).hasSize(3);
        assertThat(raw.path("events").get(0).path("event_object_id").asText()).isEqualTo(String.valueOf(created));
        assertThat(raw.path("events").get(0).path("data").path("target_path").asText()).isEqualTo("/Shared/new.docx");
    }

    @Test
    void pagesUntilCaughtUpAndBatchesTenObjectsPerNotification() throws Exception {
        Instance instance = createInstance(sink.url("/paged"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);

        egnyte.addEvents(253);
        long latest = egnyte.latestEventId();

        await().atMost(Duration.ofSeconds(30)).until(() -> objectIds("/paged").size() >= 253);
        List<String> ids = objectIds("/paged");
        assertThat(ids).hasSize(253).doesNotHaveDuplicates();
        assertThat(messages("/paged")).allSatisfy(m -> {
            assertThat(m.path("events").size()).isBetween(1, 10);
            assertThat(m.path("raw").path("events").size()).isEqualTo(m.path("events").size());
        });
        assertThat(messages("/paged").stream().map(m -> m.path("eventId").asText()).distinct().count())
                .isEqualTo(messages("/paged").size());
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(latest).equals(cursorOf(instance, "events")));
        assertThat(egnyte.requestsTo("/pubapi/v1/events").stream()
                .filter(r -> r.path().equals("/pubapi/v1/events"))
                .map(r -> r.queryParam("count")))
                .containsOnly("100");
    }

    @Test
    void rereadingEventsAfterTheCursorMovesBackDeliversNothingTwice() throws Exception {
        Instance instance = createInstance(sink.url("/again"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
        String start = cursorOf(instance, "events");
        egnyte.addEvents(15);
        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/again").size() == 15);

        // as after a crash between delivery and a cursor write: the next polls read the same events again
        cursors().save(instance.id(), "events", new PollCursors.Position(start, null));
        int polled = egnyte.requestsTo("/pubapi/v1/events").size();
        await().atMost(Duration.ofSeconds(20)).until(() -> egnyte.requestsTo("/pubapi/v1/events").size() > polled + 2);

        assertThat(objectIds("/again")).hasSize(15).doesNotHaveDuplicates();
    }

    @Test
    void passesFolderTypeAndSuppressThroughToEgnyte() throws Exception {
        Instance instance = createInstance(sink.url("/filtered"), null,
                eventsResource("/hubs/documents/events?folder=/Shared/Projects&type=file_system&suppress=app"));
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
        egnyte.addEvent("create", "/Shared/Projects/a.docx", false);
        egnyte.addEvent("create", "/Shared/Other/b.docx", false);
        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/filtered").size() == 1);

        RecordedRequest page = egnyte.requestsTo("/pubapi/v1/events").stream()
                .filter(r -> r.path().equals("/pubapi/v1/events") && "/Shared/Projects".equals(r.queryParam("folder")))
                .findFirst().orElseThrow();
        assertThat(page.queryParam("type")).isEqualTo("file_system");
        assertThat(page.queryParam("suppress")).isEqualTo("app");
        assertThat(page.header("Authorization")).isEqualTo("Bearer " + ACCESS_TOKEN);
    }

    @Test
    void deliversEveryNotificationToEveryCallbackWhenOneFails() throws Exception {
        sink.respondWith("/broken", 500);
        Instance instance = createInstance(sink.url("/healthy") + "," + sink.url("/broken"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
        egnyte.addEvents(25);

        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/healthy").size() == 25);
        assertThat(new HashSet<>(objectIds("/healthy"))).hasSize(25);
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.received("/broken").size() >= 3);
    }

    @Test
    void neverRunsTwoPollsOfOneInstanceAtOnce() throws Exception {
        Instance instance = createInstance(sink.url("/slow"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
        egnyte.resetMaxInFlight();
        egnyte.delayNext(3, 2500);
        int before = egnyte.requestsTo("/pubapi/v1/events").size();
        await().atMost(Duration.ofSeconds(30)).until(() -> egnyte.requestsTo("/pubapi/v1/events").size() >= before + 5);
        assertThat(egnyte.maxInFlight(ACCESS_TOKEN)).isEqualTo(1);
    }
}
