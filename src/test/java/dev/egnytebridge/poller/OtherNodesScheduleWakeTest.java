package dev.egnytebridge.poller;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import dev.egnytebridge.instance.Instance;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static org.awaitility.Awaitility.await;

/**
 * In cluster mode (PostgreSQL only) a change of the poll schedule on one node wakes every other node's scheduler at
 * once (LISTEN/NOTIFY), not at their fallback look, which is a minute away here.
 */
@EnabledIf("dev.egnytebridge.TestDatabase#postgresSelected")
class OtherNodesScheduleWakeTest extends PipelineTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.cluster.enabled", "true");
        p.setProperty("bridge.poller.idle-check-ms", "60000");
        p.setProperty("bridge.delivery.idle-check-ms", "60000");
        p.setProperty("egnyte.rate-limit.qps", "1000");
        return p;
    }

    @Test
    void anInstanceCreatedOnOneNodeIsPolledByAnotherAtOnceNotAtItsFallbackLook() throws Exception {
        // this node keeps the schedule but polls nothing
        context.getRouteController().stopRoute("schedule-due-polls");
        Main other = startAnotherBridge();
        try {
            DuePolls otherPolls = other.getCamelContext().getRegistry().lookupByNameAndType("duePolls", DuePolls.class);
            // the other node's looks at start-up are over: a second without one
            AtomicReference<Instant> seen = new AtomicReference<>();
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(20)).until(() -> {
                Instant last = otherPolls.lastLookAt();
                return last != null && Objects.equals(seen.getAndSet(last), last);
            });

            Instance instance = createInstance(sink.url("/elsewhere"), null, eventsResource("/hubs/documents/events"), "10");

            await().atMost(Duration.ofSeconds(10)).until(() -> !callsOf(instance).isEmpty());
        } finally {
            other.stop();
        }
    }
}
