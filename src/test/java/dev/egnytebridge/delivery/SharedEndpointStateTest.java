package dev.egnytebridge.delivery;

import java.util.Properties;

import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.delivery.WebhookReceiver.Reply;
import dev.egnytebridge.instance.Instance;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.egnytebridge.delivery.OutboxFixture.enqueue;
import static dev.egnytebridge.delivery.OutboxFixture.instance;
import static dev.egnytebridge.delivery.OutboxFixture.jdbc;
import static dev.egnytebridge.delivery.OutboxFixture.statuses;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An endpoint's circuit is the database's, not a node's: a second bridge on the same database (another node, or this
 * one after a restart) finds it open and leaves the endpoint alone.
 */
class SharedEndpointStateTest extends BridgeTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        p.setProperty("bridge.delivery.retry-schedule", "1h");
        p.setProperty("bridge.delivery.circuit.failures", "3");
        // no probe during the test: an open circuit stays open
        p.setProperty("bridge.delivery.circuit.open-seconds", "3600");
        p.setProperty("bridge.delivery.circuit.max-open-seconds", "3600");
        return p;
    }

    @Test
    void aCircuitOpenedOnOneNodeHoldsOnAnotherAndAfterARestart() throws Exception {
        try (WebhookReceiver dead = new WebhookReceiver("dead").replying(i -> Reply.status(500))) {
            Instance instance = instance(context, "Shared", null);
            for (int i = 0; i < 6; i++) {
                enqueue(context, instance, dead.url("/hook"));
            }
            JdbcTemplate jdbc = jdbc(context);
            await().atMost(20, SECONDS).until(() -> jdbc.queryForObject(
                    "SELECT COUNT(*) FROM delivery_endpoint WHERE open_until IS NOT NULL", Integer.class) == 1);
            int attempts = dead.requests().size();
            context.stop();

            Main other = startAnotherBridge();
            try {
                CamelContext node = other.getCamelContext();
                Notification more = enqueue(node, instance, dead.url("/hook"));
                // the fresh node leases due deliveries at once, yet none of the dead endpoint's
                await().during(2, SECONDS).atMost(5, SECONDS).until(() -> dead.requests().size() == attempts);
                assertThat(statuses(node, more)).containsExactly("PENDING");
            } finally {
                other.stop();
            }
        }
    }
}
