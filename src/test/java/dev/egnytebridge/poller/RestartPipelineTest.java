package dev.egnytebridge.poller;

import java.time.Duration;

import dev.egnytebridge.instance.Instance;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A restart picks every poller up from the database and delivers nothing twice. */
class RestartPipelineTest extends PipelineTestSupport {

    @Test
    void resumesFromTheStoredCursorAfterARestartWithoutDuplicates() throws Exception {
        Instance instance = createInstance(sink.url("/restart"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
        String start = cursorOf(instance, "events");
        egnyte.addEvents(30);
        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/restart").size() == 30);
        // the cursor goes back as far as it can: only the idempotent repository, which outlives the process, stops repeats
        cursors().save(instance.id(), "events", new PollCursors.Position(start, null));
        context.stop();

        egnyte.addEvents(12);
        Main restarted = startAnotherBridge();
        try {
            CamelContext again = restarted.getCamelContext();
            PollerScheduler pollers = again.getRegistry().lookupByNameAndType("pollerScheduler", PollerScheduler.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> pollers.isScheduled(instance.id()));
            await().atMost(Duration.ofSeconds(30)).until(() -> objectIds("/restart").size() >= 42);
            long latest = egnyte.latestEventId();
            PollCursors cursors = again.getRegistry().lookupByNameAndType("pollCursors", PollCursors.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> String.valueOf(latest).equals(
                    cursors.find(instance.id(), "events").map(PollCursors.Position::cursor).orElse(null)));
            assertThat(objectIds("/restart")).hasSize(42).doesNotHaveDuplicates();
        } finally {
            restarted.stop();
        }
    }
}
