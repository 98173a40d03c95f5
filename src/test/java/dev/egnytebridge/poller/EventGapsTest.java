package dev.egnytebridge.poller;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.observe.BridgeMetrics;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events lost at Egnyte are facts, not log lines: each time the stored cursor has aged out, the bridge stores a gap
 * (from which event to which), lists it, counts it, and notifies it when the instance asks for that.
 */
class EventGapsTest extends PipelineTestSupport {

    @Test
    void aCursorThatAgedOutIsStoredOnceAsAGapShownAndCounted() throws Exception {
        Instance instance = pollingInstance("/aged", eventsResource("/hubs/documents/events"));
        String cursor = cursorOf(instance, "events");
        long lost = ageOutTheNextEvent(instance);

        JsonNode gaps = gapsOf(instance);
        assertThat(gaps).hasSize(1);
        JsonNode gap = gaps.get(0);
        assertThat(gap.path("resource").asText()).isEqualTo("events");
        assertThat(gap.path("fromCursor").asText()).isEqualTo(cursor);
        assertThat(gap.path("toCursor").asText()).isEqualTo(String.valueOf(lost));
        assertThat(gap.path("reason").asText()).isEqualTo("CURSOR_AGED_OUT");
        assertThat(gap.path("notified").asBoolean()).isFalse();
        assertThat(gap.path("detectedAt").asText()).isNotBlank();

        JsonNode shown = JSON.readTree(get("/instances/" + instance.id(), ALICE).body()).path("gaps");
        assertThat(shown.path("count").asInt()).isEqualTo(1);
        assertThat(shown.path("latest").get(0).path("id").asLong()).isEqualTo(gap.path("id").asLong());
        assertThat(gapsCounted(instance)).isEqualTo(1);
        assertThat(messages("/aged")).as("no notification of the gap unless asked for")
                .allSatisfy(m -> assertThat(m.path("raw").path("objectType").asText()).isEqualTo("events"));

        // the polls that follow read on from the new cursor: the gap stays one
        egnyte.addEvent("create", "/Shared/after.docx", false);
        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/aged").size() == 3);
        assertThat(gapsOf(instance)).hasSize(1);
        assertThat(gapsCounted(instance)).isEqualTo(1);
    }

    @Test
    void aGapIsNotifiedLikeAnUnknownEventWhenTheInstanceAsksForIt() throws Exception {
        Instance instance = createInstance(sink.url("/told"), null, eventsResource("/hubs/documents/events"), "0.0167",
                JSON.createObjectNode().put("event.notification.gaps", true));
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
        String cursor = cursorOf(instance, "events");
        long lost = ageOutTheNextEvent(instance);

        await().atMost(Duration.ofSeconds(20)).until(() -> gapNotifications("/told").size() == 1);
        JsonNode message = gapNotifications("/told").get(0);
        JsonNode event = message.path("events").get(0);
        assertThat(event.path("eventType").asText()).isEqualTo("UNKNOWN");
        assertThat(event.path("objectType").asText()).isEqualTo("gap");
        assertThat(event.path("objectId").asText()).isEqualTo(gapsOf(instance).get(0).path("id").asText());
        JsonNode raw = message.path("raw").path("events").get(0);
        assertThat(raw.path("fromCursor").asText()).isEqualTo(cursor);
        assertThat(raw.path("toCursor").asText()).isEqualTo(String.valueOf(lost));
        assertThat(raw.path("reason").asText()).isEqualTo("CURSOR_AGED_OUT");
        assertThat(message.path("sequence").asLong()).isPositive();
        assertThat(gapsOf(instance).get(0).path("notified").asBoolean()).isTrue();
    }

    @Test
    void eventsSkippedByAFolderFilterAreNoGap() throws Exception {
        Instance instance = pollingInstance("/filtered", eventsResource("/hubs/documents/events?folder=/Shared/Kept"));
        egnyte.addEvent("create", "/Shared/Other/skipped.docx", false);
        egnyte.addEvent("create", "/Shared/Other/skipped-too.docx", false);
        long kept = egnyte.addEvent("create", "/Shared/Kept/kept.docx", false);

        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/filtered").size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(kept).equals(cursorOf(instance, "events")));
        assertThat(gapsOf(instance)).isEmpty();
        assertThat(gapsCounted(instance)).isZero();
    }

    @Test
    void onlyTheOwnerSeesAnInstancesGapsAndPagingIsChecked() throws Exception {
        Instance instance = pollingInstance("/owned", eventsResource("/hubs/documents/events"));
        assertThat(get("/instances/" + instance.id() + "/gaps", BOB).statusCode()).isEqualTo(404);
        HttpResponse<String> bad = get("/instances/" + instance.id() + "/gaps?pageSize=0", ALICE);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("field").asText()).isEqualTo("pageSize");
        assertThat(JSON.readTree(get("/instances/" + instance.id(), ALICE).body()).path("gaps").path("count").asInt())
                .isZero();
    }

    private Instance pollingInstance(String path, ObjectNode pollerConfiguration) throws Exception {
        Instance instance = createInstance(sink.url(path), null, pollerConfiguration);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
        return instance;
    }

    /** Three events, of which Egnyte forgets the first before the instance is polled again; returns that one's id. */
    private long ageOutTheNextEvent(Instance instance) throws Exception {
        String path = new java.net.URI(reload(instance).polling().callbackUrls().get(0)).getPath();
        scheduler().unschedule(instance.id());
        long first = egnyte.addEvent("create", "/Shared/lost.docx", false);
        egnyte.addEvent("create", "/Shared/kept-1.docx", false);
        long last = egnyte.addEvent("create", "/Shared/kept-2.docx", false);
        egnyte.expireEventsUpTo(first);
        scheduler().refresh(reload(instance));
        await().atMost(Duration.ofSeconds(20)).until(() -> String.valueOf(last).equals(cursorOf(instance, "events")));
        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds(path).size() >= 2);
        return first;
    }

    private JsonNode gapsOf(Instance instance) throws Exception {
        HttpResponse<String> response = get("/instances/" + instance.id() + "/gaps", ALICE);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private double gapsCounted(Instance instance) {
        Counter counter = BridgeMetrics.of(context).registry().find("bridge.event.gaps")
                .tag(BridgeMetrics.INSTANCE_ID, String.valueOf(instance.id())).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<JsonNode> gapNotifications(String path) {
        return messages(path).stream().filter(m -> "gap".equals(m.path("raw").path("objectType").asText())).toList();
    }
}
