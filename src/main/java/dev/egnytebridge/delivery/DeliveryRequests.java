package dev.egnytebridge.delivery;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.api.ApiException;
import dev.egnytebridge.api.JsonRequestBody;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.PollingConfiguration;

/**
 * What the replay and callback endpoints share: reading their small JSON bodies (every problem a 400 naming the
 * field), an instance's callback URLs, and waking the dispatcher after work was made due.
 */
final class DeliveryRequests {

    private final JsonRequestBody bodies;
    private final Runnable wakeDispatcher;

    /** {@code wakeDispatcher} is told when deliveries were made due, so they go at once. */
    DeliveryRequests(ObjectMapper mapper, Runnable wakeDispatcher) {
        this.bodies = new JsonRequestBody(mapper);
        this.wakeDispatcher = wakeDispatcher;
    }

    /** The body as a JSON object holding only {@code known} fields; an empty body is an empty object when allowed. */
    ObjectNode object(String text, Set<String> known, boolean emptyAllowed) {
        if ((text == null || text.isBlank()) && emptyAllowed) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        ObjectNode body = bodies.object(text);
        JsonRequestBody.onlyKnownFields(body, known);
        return body;
    }

    /** An optional string field: null when absent or null; a 400 when not a non-empty string. */
    static String text(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            throw ApiException.badField(field, "must be a non-empty string");
        }
        return node.textValue().trim();
    }

    /**
     * {@code url} if it is one of the instance's callback URLs; otherwise a 400 naming {@code field} (the URL given is
     * not repeated: a callback URL's query string may carry a credential).
     */
    static String callbackUrlOf(Instance instance, String url, String field) {
        if (!callbackUrls(instance).contains(url)) {
            throw ApiException.badField(field, "is not one of the instance's callback URLs "
                    + "(configuration." + PollingConfiguration.CALLBACK_URL + ")");
        }
        return url;
    }

    /** The instance's configured callback URLs, in their order. */
    static List<String> callbackUrls(Instance instance) {
        return callbackUrls(instance.configuration());
    }

    static List<String> callbackUrls(JsonNode configuration) {
        try {
            return configuration == null ? List.of()
                    : PollingConfiguration.callbackUrls(configuration.get(PollingConfiguration.CALLBACK_URL));
        } catch (ApiException e) {
            return List.of(); // stored before a stricter check: nothing to show or send
        }
    }

    /** Work was made due: the dispatcher looks at once. */
    void wakeDispatcher() {
        wakeDispatcher.run();
    }
}
