package dev.egnytebridge.api;

import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a request body that must be one JSON object, strictly (no trailing tokens, no duplicate fields), and answers
 * a bad one with a 400 on field {@code body} that never quotes the body, which may hold secrets.
 */
public final class JsonRequestBody {

    private final ObjectReader reader;

    public JsonRequestBody(ObjectMapper mapper) {
        this.reader = mapper.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /** The body as a JSON object; a blank body is a 400. */
    public ObjectNode object(String text) {
        if (text == null || text.isBlank()) {
            throw ApiException.badField("body", "a JSON object is required");
        }
        JsonNode body;
        try {
            body = reader.readTree(text);
        } catch (JsonParseException e) {
            // the parser's message quotes the body, which may hold secrets: only say where it broke
            var at = e.getLocation();
            throw ApiException.badField("body", "is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        } catch (JsonProcessingException e) {
            throw ApiException.badField("body", "is not valid JSON");
        } catch (IOException e) {
            throw ApiException.badField("body", "could not be read");
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badField("body", "must be a JSON object");
        }
        return (ObjectNode) body;
    }

    /** A 400 naming the first field of {@code body} that is not among {@code known}. */
    public static void onlyKnownFields(ObjectNode body, Set<String> known) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                String shown = field.length() > 50 ? field.substring(0, 50) + "..." : field;
                throw ApiException.badField(shown, "is not a field of this request; known fields: "
                        + String.join(", ", new TreeSet<>(known)));
            }
        }
    }
}
