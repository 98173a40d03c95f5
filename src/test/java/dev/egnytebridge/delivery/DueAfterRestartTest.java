package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Instant;
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
 * A node alone on its database sleeps between looks for a minute (bridge.standalone.idle-check-ms), yet what an
 * earlier run stored goes out when it falls due: after each look that finds nothing due, the dispatcher reads when
 * the next thing will be.
 */
class DueAfterRestartTest extends BridgeTestSupport {

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
    void aRetryStoredBeforeARestartIsSentWhenItFallsDueNotAtTheNextFallbackLook() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            context.getRouteController().stopRoute("dispatch-deliveries");
            Notification n = enqueue(context, instance(context), receiver.url("/hook"));
            Instant due = Instant.now().plusSeconds(3);
            // as the previous run left it: failed once, its retry due in three seconds
            jdbc(context).update("UPDATE delivery SET status = 'RETRYING', attempts = 1, next_attempt_at = ? WHERE event_id = ?",
                    Timestamp.from(due), n.eventId());
            context.stop();

            Main other = anotherNode();
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
