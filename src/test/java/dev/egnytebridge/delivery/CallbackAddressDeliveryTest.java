package dev.egnytebridge.delivery;

import java.util.List;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceSecrets;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.poller.PolledObject;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The callback address policy at send time, with its default (private addresses refused) and the real routes. */
class CallbackAddressDeliveryTest extends BridgeTestSupport {

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.callbacks.allow-private-addresses", "false");
        p.setProperty("bridge.delivery.retry-schedule", "100ms");
        return p;
    }

    @Test
    void refusesDeliveryWhenTheHostResolvesToAPrivateAddressAtSendTime() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            // stored straight in the outbox, as a name that resolved to a public address when it was configured;
            // only resolving it at send time shows it is loopback now
            String url = receiver.url("/hook?token=receiver-secret").replace("127.0.0.1", "localhost");
            Notification n = enqueue(url);

            await().atMost(20, SECONDS).until(() -> "FAILED".equals(status(n)));
            List<String> errors = jdbc().queryForList("SELECT a.error FROM delivery_attempt a JOIN delivery d "
                    + "ON d.id = a.delivery_id WHERE d.event_id = ? ORDER BY a.id", String.class, n.eventId());
            assertThat(errors).hasSize(2).allSatisfy(error -> assertThat(error)
                    .contains("callback host localhost resolves to")
                    .contains("loopback address")
                    .contains("bridge.callbacks.allow-private-addresses")
                    .doesNotContain("receiver-secret"));
            assertThat(receiver.requests()).as("nothing is sent to a refused address").isEmpty();
        }
    }

    private Notification enqueue(String url) {
        InstanceStore store = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
        Instance instance = store.insert("alice", "API_Polling", "egnyte", "acme", mapper.createObjectNode().put("subdomain", "acme"),
                new InstanceSecrets("access-token", "api-secret", null), List.of(), true,
                UUID.randomUUID().toString().replace("-", ""));
        NotificationFactory factory = context.getRegistry().lookupByNameAndType("notificationFactory", NotificationFactory.class);
        ObjectNode raw = mapper.createObjectNode().put("id", 1).put("action", "create");
        Notification n = factory.build(instance, "events",
                List.of(new PolledObject("events", "1", "CREATED", "2025-05-28T11:41:12Z", raw, "events:1")));
        context.getRegistry().lookupByNameAndType("outbox", Outbox.class).enqueue(n, List.of(url));
        return n;
    }

    private String status(Notification n) {
        return jdbc().queryForObject("SELECT status FROM delivery WHERE event_id = ?", String.class, n.eventId());
    }

    private JdbcTemplate jdbc() {
        return context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
    }
}
