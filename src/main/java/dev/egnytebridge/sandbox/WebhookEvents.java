package dev.egnytebridge.sandbox;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders simulator events the way Egnyte's native webhooks push them (not the events API's shape): a JSON array of
 * {@code {eventId, domain, timestamp, user, actionSource, eventType, webhookId, data}}, with the events API's actions
 * mapped to webhook event types (create on a file is {@code fs:add_file}, on a folder {@code fs:add_folder}, ...).
 */
final class WebhookEvents {

    private WebhookEvents() {
    }

    /** The webhook event type of an event: {@code fs:<verb>_file|_folder}, or {@code note:<verb>} for notes. */
    static String eventType(SimulatedEvent e) {
        String verb = switch (e.action()) {
            case "create" -> "add";
            default -> e.action();
        };
        if (SimulatedEvent.NOTE.equals(e.type())) {
            return "note:" + verb;
        }
        return "fs:" + verb + (e.isFolder() ? "_folder" : "_file");
    }

    /** The eventId pushed for an event: its events-API id as a string, so a receiver can dedupe and correlate. */
    static String eventId(SimulatedEvent e) {
        return Long.toString(e.id());
    }

    static ArrayNode render(ObjectMapper json, List<SimulatedEvent> events, String webhookId, String domain) {
        ArrayNode array = json.createArrayNode();
        for (SimulatedEvent e : events) {
            ObjectNode o = array.addObject();
            o.put("eventId", eventId(e));
            o.put("domain", domain);
            o.put("timestamp", e.timestamp().getEpochSecond());
            ObjectNode user = o.putObject("user");
            user.put("id", e.actor());
            user.put("username", "user" + e.actor());
            user.put("email", "user" + e.actor() + "@" + domain + ".example.com");
            o.put("actionSource", e.actionSource());
            o.put("eventType", eventType(e));
            o.put("webhookId", webhookId);
            ObjectNode data = o.putObject("data");
            data.put("target_path", e.targetPath());
            if (SimulatedEvent.NOTE.equals(e.type())) {
                data.put("note_id", SimulatedEvent.stableId("note:" + e.targetPath()));
            } else {
                if (e.sourcePath() != null) {
                    data.put("source_path", e.sourcePath());
                }
                data.put("is_folder", e.isFolder());
            }
        }
        return array;
    }
}
