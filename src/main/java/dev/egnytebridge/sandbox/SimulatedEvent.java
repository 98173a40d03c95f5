package dev.egnytebridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event held by the {@link EgnyteSimulator}, stored compactly and rendered as Egnyte's JSON only when served,
 * so tests can hold many thousands of them cheaply.
 *
 * @param id           the event id (ascending, no gaps)
 * @param timestamp    when it happened
 * @param actionSource WebUI, SyncEngine, Mobile or PublicAPI
 * @param actor        the user id that caused it
 * @param type         {@code file_system} or {@code note}
 * @param action       create, delete, move, copy, rename
 * @param targetPath   the path acted on
 * @param sourcePath   the former path of a move, copy or rename, else null
 * @param isFolder     whether the target is a folder
 */
public record SimulatedEvent(long id, Instant timestamp, String actionSource, int actor, String type, String action,
                             String targetPath, String sourcePath, boolean isFolder) {

    public static final String FILE_SYSTEM = "file_system";
    public static final String NOTE = "note";

    /** Egnyte writes event timestamps with milliseconds and a literal Z. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Renders the event exactly as Egnyte's events endpoint does. */
    public ObjectNode toJson(ObjectMapper json, String baseUrl) {
        ObjectNode e = json.createObjectNode();
        e.put("id", id);
        e.put("timestamp", TIMESTAMP.format(timestamp));
        e.put("action_source", actionSource);
        e.put("actor", actor);
        e.put("type", type);
        e.put("action", action);
        ObjectNode data = json.createObjectNode();
        data.put("target_path", targetPath);
        if (NOTE.equals(type)) {
            String noteId = stableId("note:" + targetPath);
            e.put("object_detail", baseUrl + "/pubapi/v1/notes/" + noteId);
            data.put("note_id", noteId);
        } else {
            e.put("object_detail", baseUrl + "/pubapi/v1/fs" + targetPath);
            if (isFolder) {
                data.put("folder_id", stableId("folder:" + targetPath));
            } else {
                data.put("target_id", stableId("file:" + targetPath).substring(0, 8));
            }
            if (sourcePath != null) {
                data.put("source_path", sourcePath);
            }
            data.put("is_folder", isFolder);
        }
        e.set("data", data);
        return e;
    }

    /** The same input always gives the same id, as Egnyte's ids stay with a file or folder. */
    static String stableId(String key) {
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
