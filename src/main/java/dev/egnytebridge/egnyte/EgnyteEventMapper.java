package dev.egnytebridge.egnyte;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns one Egnyte event into the hub object the bridge delivers: every field of Egnyte's event unchanged, plus
 * {@code event_object_id} (the event id as text), {@code event_date} (its timestamp), {@code event_type} (CREATED,
 * UPDATED, DELETED or UNKNOWN) and {@code event_object_type} (file, folder or note). Odd input never throws: it maps
 * to UNKNOWN. The input is not modified.
 */
public final class EgnyteEventMapper {

    public static final String EVENT_OBJECT_ID = "event_object_id";
    public static final String EVENT_DATE = "event_date";
    public static final String EVENT_TYPE = "event_type";
    public static final String EVENT_OBJECT_TYPE = "event_object_type";

    public static final String CREATED = "CREATED";
    public static final String UPDATED = "UPDATED";
    public static final String DELETED = "DELETED";
    public static final String UNKNOWN = "UNKNOWN";

    /** The hub object for an Egnyte event; a non-object input gives an object with only the derived fields. */
    public ObjectNode toHubObject(JsonNode event) {
        ObjectNode hub = event instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        JsonNode source = event instanceof ObjectNode ? event : hub;
        String id = JsonPaths.text(source.get("id"));
        if (id != null) {
            hub.put(EVENT_OBJECT_ID, id);
        }
        String date = JsonPaths.text(source.get("timestamp"));
        if (date != null) {
            hub.put(EVENT_DATE, date);
        }
        hub.put(EVENT_TYPE, id == null ? UNKNOWN : eventType(source.get("action")));
        hub.put(EVENT_OBJECT_TYPE, objectType(source));
        return hub;
    }

    /** create -> CREATED, delete -> DELETED, any other action (move, copy, rename...) -> UPDATED, none -> UNKNOWN. */
    public static String eventType(JsonNode action) {
        if (action == null || !action.isTextual() || action.asText().isBlank()) {
            return UNKNOWN;
        }
        return switch (action.asText().trim().toLowerCase(Locale.ROOT)) {
            case "create" -> CREATED;
            case "delete" -> DELETED;
            default -> UPDATED;
        };
    }

    /** note when the event is a note or names a note, folder when it concerns a folder, else file. */
    public static String objectType(JsonNode event) {
        JsonNode data = event.path("data");
        if ("note".equals(event.path("type").asText(null)) || present(data.get("note_id"))) {
            return "note";
        }
        JsonNode isFolder = data.get("is_folder");
        boolean folderFlag = isFolder != null && (isFolder.asBoolean(false) || "true".equalsIgnoreCase(isFolder.asText()));
        if (folderFlag || present(data.get("folder_id"))) {
            return "folder";
        }
        return "file";
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }
}
