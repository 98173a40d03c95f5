package dev.egnytebridge.delivery;

import java.util.List;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.BridgeConfiguration;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.delivery.WebhookReceiver.Reply;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceSecrets;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.poller.PolledObject;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An endpoint's circuit is the database's, not a node's: a second bridge on the same database (another node, or this
 * one after a restart) finds it open and leaves the endpoint alone.
 */
class SharedEndpointStateTest extends BridgeTestSupport {

    private final ObjectMapper mapper = new ObjectMapper();

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
            Instance instance = instance(context);
            for (int i = 0; i < 6; i++) {
                enqueue(context, instance, dead.url("/hook"));
            }
            JdbcTemplate jdbc = jdbc(context);
            await().atMost(20, SECONDS).until(() -> jdbc.queryForObject(
                    "SELECT COUNT(*) FROM delivery_endpoint WHERE open_until IS NOT NULL", Integer.class) == 1);
            int attempts = dead.requests().size();
            context.stop();

            Main other = anotherNode();
            try {
                CamelContext node = other.getCamelContext();
                Notification more = enqueue(node, instance, dead.url("/hook"));
                // the fresh node leases due deliveries at once, yet none of the dead endpoint's
                await().during(2, SECONDS).atMost(5, SECONDS).until(() -> dead.requests().size() == attempts);
                assertThat(jdbc(node).queryForObject("SELECT status FROM delivery WHERE event_id = ?", String.class,
                        more.eventId())).isEqualTo("PENDING");
            } finally {
                other.stop();
            }
        }
    }

    /** Another bridge process on the same database: a second node, or this one after a restart. */
    private Main anotherNode() throws Exception {
        Main other = new Main();
        other.configure().addConfiguration(BridgeConfiguration.class);
        other.setDefaultPropertyPlaceholderLocation("file:application.properties");
        Properties properties = overrides();
        properties.setProperty("camel.server.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        properties.setProperty("camel.management.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        other.setOverrideProperties(properties);
        other.start();
        return other;
    }

    private Instance instance(CamelContext camel) {
        InstanceStore store = camel.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
        return store.insert("alice", "Shared", "egnyte", "acme", mapper.createObjectNode().put("subdomain", "acme"),
                new InstanceSecrets("token", "secret", null), List.of(), true, UUID.randomUUID().toString().replace("-", ""));
    }

    private Notification enqueue(CamelContext camel, Instance instance, String url) {
        NotificationFactory factory = camel.getRegistry().lookupByNameAndType("notificationFactory", NotificationFactory.class);
        Notification n = factory.build(instance, "events", List.of(new PolledObject("events", "1", "CREATED", null,
                mapper.createObjectNode(), "events:1")));
        camel.getRegistry().lookupByNameAndType("outbox", Outbox.class).enqueue(n, List.of(url));
        return n;
    }

    private static JdbcTemplate jdbc(CamelContext camel) {
        return camel.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
    }
}
