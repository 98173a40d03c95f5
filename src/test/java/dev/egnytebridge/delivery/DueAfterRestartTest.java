package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Properties;

import dev.egnytebridge.BridgeTestSupport;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import static dev.egnytebridge.delivery.OutboxFixture.enqueue;
import static dev.egnytebridge.delivery.OutboxFixture.instance;
import static dev.egnytebridge.delivery.OutboxFixture.jdbc;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node alone on its database sleeps between looks for a minute (bridge.standalone.idle-check-ms), yet what an
 * earlier run stored goes out when it falls due: after each look that finds nothing due, the dispatcher reads when
 * the next thing will be.
 */
class DueAfterRestartTest extends BridgeTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        p.setProperty("bridge.delivery.retry-schedule", "1h");
        return p;
    }

    @Test
    void aRetryStoredBeforeARestartIsSentWhenItFallsDueNotAtTheNextFallbackLook() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            context.getRouteController().stopRoute("dispatch-deliveries");
            Notification n = enqueue(context, instance(context, "Restarted", null), receiver.url("/hook"));
            Instant due = Instant.now().plusSeconds(3);
            // as the previous run left it: failed once, its retry due in three seconds
            jdbc(context).update("UPDATE delivery SET status = 'RETRYING', attempts = 1, next_attempt_at = ? WHERE event_id = ?",
                    Timestamp.from(due), n.eventId());
            context.stop();

            Main other = startAnotherBridge();
            try {
                // the fallback look of a node alone on its database is a minute away (bridge.standalone.idle-check-ms):
                // only the due time read after its first look brings the retry out in time
                await().atMost(20, SECONDS).until(() -> receiver.requests().size() == 1);
                assertThat(Instant.now()).isAfterOrEqualTo(due);
            } finally {
                other.stop();
            }
        }
    }
}
