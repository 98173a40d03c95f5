package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
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

/** The purge-expired-history route, run often and with the dispatcher idle so the test sets each delivery's state. */
class RetentionRouteTest extends BridgeTestSupport {

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        // the receivers run on loopback, which callbacks may only reach with this
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        p.setProperty("bridge.retention.purge-interval", "200");
        p.setProperty("bridge.retention.purge-delay", "200");
        p.setProperty("bridge.retention-days", "30");
        return p;
    }

    @Test
    void purgesOldFinishedHistoryAndKeepsWhatIsStillToBeDelivered() throws Exception {
        // nothing is delivered here: the rows keep the states the test gives them
        context.getRouteController().stopRoute("dispatch-deliveries");
        Instance instance = instance();
        Instant old = Instant.now().minus(Duration.ofDays(31));
        String oldDelivered = notification(instance, old, "DELIVERED", "DELIVERED");
        String oldFailedAndGone = notification(instance, old, "FAILED", "GONE");
        String oldStillRetrying = notification(instance, old, "DELIVERED", "RETRYING");
        String oldPending = notification(instance, old, "PENDING");
        String recentDelivered = notification(instance, Instant.now().minus(Duration.ofDays(29)), "DELIVERED");
        jdbc().update("INSERT INTO delivery_attempt (delivery_id, attempted_at, http_status, duration_ms) "
                + "SELECT id, ?, 200, 5 FROM delivery WHERE event_id = ?", Timestamp.from(old), oldDelivered);
        idempotencyKey("old-key", old);
        idempotencyKey("recent-key", Instant.now().minus(Duration.ofDays(1)));

        await().atMost(20, SECONDS).until(() -> !exists(oldDelivered) && !exists(oldFailedAndGone));

        assertThat(exists(oldStillRetrying)).isTrue();
        assertThat(exists(oldPending)).isTrue();
        assertThat(exists(recentDelivered)).isTrue();
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM delivery WHERE event_id IN (?, ?)", Integer.class,
                oldDelivered, oldFailedAndGone)).isZero();
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM delivery_attempt", Integer.class)).isZero();
        await().atMost(20, SECONDS).until(() -> jdbc().queryForList(
                "SELECT messageId FROM CAMEL_MESSAGEPROCESSED", String.class).equals(List.of("recent-key")));
    }

    private String notification(Instance instance, Instant createdAt, String... statuses) {
        NotificationFactory factory = context.getRegistry().lookupByNameAndType("notificationFactory", NotificationFactory.class);
        Outbox outbox = context.getRegistry().lookupByNameAndType("outbox", Outbox.class);
        Notification n = factory.build(instance, "events", List.of(new PolledObject("events", "1", "CREATED", null,
                mapper.createObjectNode(), "k")));
        List<String> urls = new java.util.ArrayList<>();
        for (int i = 0; i < statuses.length; i++) {
            urls.add("http://127.0.0.1:9/hook" + i);
        }
        outbox.enqueue(n, urls);
        jdbc().update("UPDATE notification SET created_at = ? WHERE event_id = ?", Timestamp.from(createdAt), n.eventId());
        List<Long> ids = jdbc().queryForList("SELECT id FROM delivery WHERE event_id = ? ORDER BY id", Long.class, n.eventId());
        for (int i = 0; i < statuses.length; i++) {
            jdbc().update("UPDATE delivery SET status = ? WHERE id = ?", statuses[i], ids.get(i));
        }
        return n.eventId();
    }

    private void idempotencyKey(String key, Instant createdAt) {
        jdbc().update("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES ('poller', ?, ?)",
                key, Timestamp.from(createdAt));
    }

    private boolean exists(String eventId) {
        Integer n = jdbc().queryForObject("SELECT COUNT(*) FROM notification WHERE event_id = ?", Integer.class, eventId);
        return n != null && n > 0;
    }

    private Instance instance() {
        InstanceStore store = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
        ObjectNode configuration = mapper.createObjectNode().put("subdomain", "acme");
        return store.insert("alice", "Retention", "egnyte", "acme", configuration, new InstanceSecrets("t", "s", null),
                List.of(), true, UUID.randomUUID().toString());
    }

    private JdbcTemplate jdbc() {
        return context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
    }
}
