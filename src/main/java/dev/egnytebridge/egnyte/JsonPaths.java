package dev.egnytebridge.egnyte;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Dotted-path access to JSON, as the {@code idField}, {@code itemsPath} and date fields of a polled resource are
 * written ({@code data.target_path}). A segment that is a whole number indexes an array ({@code files.0.name}).
 */
public final class JsonPaths {

    private JsonPaths() {
    }

    /** The node at the dotted path, or null when any step is missing; a null or blank path is the root itself. */
    public static JsonNode find(JsonNode root, String path) {
        if (root == null) {
            return null;
        }
        if (path == null || path.isBlank()) {
            return root;
        }
        JsonNode node = root;
        for (String segment : path.trim().split("\\.", -1)) {
            if (node == null) {
                return null;
            }
            if (node.isArray() && isIndex(segment)) {
                node = node.get(Integer.parseInt(segment));
            } else if (node.isObject()) {
                node = node.get(segment);
            } else {
                return null;
            }
        }
        return node == null || node.isMissingNode() ? null : node;
    }

    /** The scalar at the dotted path as text, or null (see {@link #text(JsonNode)}). */
    public static String text(JsonNode root, String path) {
        return text(find(root, path));
    }

    /**
     * The text of a scalar: strings as they are, numbers as plain digits (never exponent notation), booleans as
     * true/false; null for JSON null, objects, arrays and absent nodes.
     */
    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() ? node.bigIntegerValue().toString()
                    : node.decimalValue().stripTrailingZeros().toPlainString();
        }
        return node.asText();
    }

    /**
     * The items of a response. With an itemsPath: the objects of the array at that path (a single object there is one
     * item; nothing there is no item). Without one: the objects of a top-level array, or, for an Egnyte folder
     * listing (an object with {@code files} and/or {@code folders} arrays), its files followed by its folders; any
     * other object yields no item. Elements that are not objects are skipped.
     */
    public static List<ObjectNode> items(JsonNode root, String itemsPath) {
        List<ObjectNode> items = new ArrayList<>();
        if (root == null) {
            return items;
        }
        if (itemsPath != null && !itemsPath.isBlank()) {
            JsonNode node = find(root, itemsPath);
            if (node instanceof ObjectNode single) {
                items.add(single);
            } else {
                addObjects(node, items);
            }
            return items;
        }
        if (root.isArray()) {
            addObjects(root, items);
        } else if (root.isObject()) {
            addObjects(root.get("files"), items);
            addObjects(root.get("folders"), items);
        }
        return items;
    }

    private static void addObjects(JsonNode array, List<ObjectNode> into) {
        if (array != null && array.isArray()) {
            for (JsonNode element : array) {
                if (element instanceof ObjectNode o) {
                    into.add(o);
                }
            }
        }
    }

    private static boolean isIndex(String segment) {
        if (segment.isEmpty() || segment.length() > 9) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            if (!Character.isDigit(segment.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
