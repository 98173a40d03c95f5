package dev.egnytebridge.egnyte;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.egnytebridge.config.BridgeSettings;
import dev.egnytebridge.instance.Instance;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Prepares the message for one GET to an instance's Egnyte domain made by a route's {@code toD} step, and reads the
 * answer back. Only the headers set here are sent (everything else on the message is cleared first), and the bearer
 * token is removed again as soon as the answer is read, so it can never reach a later step or a log.
 */
public final class EgnyteCall {

    /** The exchange property the routes' {@code toD} steps send to. */
    public static final String BASE_URL = "egnyteBaseUrl";
    static final String BEARER = "Bearer ";
    private static final List<String> FAULT_HEADERS = List.of("Retry-After", EgnyteResponses.MASHERY_ERROR_HEADER);

    private EgnyteCall() {
    }

    public static void prepare(Exchange exchange, BridgeSettings settings, Instance instance, String path, String query) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader(Exchange.HTTP_PATH, path);
        if (query != null && !query.isEmpty()) {
            message.setHeader(Exchange.HTTP_QUERY, query);
        }
        message.setHeader("Authorization", BEARER + instance.secrets().accessToken());
        message.setHeader("Accept", "application/json");
        exchange.setProperty(BASE_URL, settings.egnyteBaseUrl(instance.subdomain()));
    }

    /** The answer of the call: status, body, and the headers Egnyte's faults are read from. */
    public record Answer(int status, String body, Map<String, String> headers) {

        public boolean noContent() {
            return EgnyteResponses.check(status, headers, body) == EgnyteResponses.Outcome.NO_CONTENT;
        }

        /** The body as JSON, or the {@link EgnyteFault} the status or a malformed body stands for. */
        public JsonNode json() {
            EgnyteResponses.check(status, headers, body);
            return EgnyteResponses.parseJson(body);
        }
    }

    public static Answer read(Exchange exchange) {
        Message message = exchange.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String body = message.getBody(String.class);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : FAULT_HEADERS) {
            Object value = message.getHeader(name);
            if (value != null) {
                headers.put(name, value.toString());
            }
        }
        message.removeHeaders("*");
        message.setBody(null);
        return new Answer(status == null ? 0 : status, body == null ? "" : body, headers);
    }
}
