package dev.egnytebridge.delivery;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceSecrets;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.poller.PolledObject;
import org.apache.camel.CamelContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the delivery tests store through a running bridge's own beans: instances, and notifications in its outbox. */
final class OutboxFixture {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OutboxFixture() {
    }

    /** An instance of alice with no callback URL of its own (the tests give each notification its URLs). */
    static Instance instance(CamelContext camel, String name, String signatureKey) {
        InstanceStore store = camel.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
        return store.insert("alice", name, "egnyte", "acme", MAPPER.createObjectNode().put("subdomain", "acme"),
                new InstanceSecrets("token", "secret", signatureKey), List.of(), true,
                UUID.randomUUID().toString().replace("-", ""));
    }

    /** A one-event notification of the instance, stored in the outbox with one delivery per URL (and so woken). */
    static Notification enqueue(CamelContext camel, Instance instance, String... urls) {
        Notification n = notification(camel, instance, "16342");
        camel.getRegistry().lookupByNameAndType("outbox", Outbox.class).enqueue(n, List.of(urls));
        return n;
    }

    /** A one-event notification of the instance, built (and numbered) but not stored. */
    static Notification notification(CamelContext camel, Instance instance, String objectId) {
        NotificationFactory factory = camel.getRegistry().lookupByNameAndType("notificationFactory", NotificationFactory.class);
        return factory.build(instance, "events", List.of(new PolledObject("events", objectId, "CREATED",
                "2025-05-28T11:41:12Z", MAPPER.createObjectNode().put("id", objectId), "events:" + objectId)));
    }

    /** The deliveries' statuses of a notification, in the order they were stored. */
    static List<String> statuses(CamelContext camel, Notification n) {
        return jdbc(camel).queryForList("SELECT status FROM delivery WHERE event_id = ? ORDER BY id", String.class, n.eventId());
    }

    static JdbcTemplate jdbc(CamelContext camel) {
        return camel.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
    }
}
