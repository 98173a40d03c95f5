package dev.egnytebridge.customize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.delivery.Notification;

/**
 * Changes the shape of a notification before it is stored, from a route step such as
 * {@code method: "put(${body}, 'source', 'egnyte-bridge')"} right after {@code build-notification}. The stored body
 * is what is signed and sent, so the change reaches every callback URL, signed.
 */
public class NotificationFields {

    private final ObjectMapper mapper;

    public NotificationFields(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The notification with {@code message.<field>} set to {@code value} (replacing a field of that name). */
    public Notification put(Notification notification, String field, String value) {
        return edit(notification, message -> message.put(field, value));
    }

    /** The notification without {@code message.<field>}. */
    public Notification remove(Notification notification, String field) {
        return edit(notification, message -> message.remove(field));
    }

    private Notification edit(Notification notification, java.util.function.Consumer<ObjectNode> change) {
        if (notification == null) {
            throw new IllegalArgumentException("No notification to change: call this right after build-notification");
        }
        try {
            JsonNode root = mapper.readTree(notification.body());
            if (!(root.path("message") instanceof ObjectNode message)) {
                throw new IllegalArgumentException("Notification " + notification.eventId() + " has no message object");
            }
            change.accept(message);
            return notification.withBody(mapper.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Notification " + notification.eventId() + " is not JSON", e);
        }
    }
}
