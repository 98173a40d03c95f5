package dev.egnytebridge.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.language.simple.Simple;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code apiErrors}, called by the {@code api-errors} route configuration: turns what went wrong into the JSON
 * error {@code {"message": "...", "field": "..."}}. Only an {@link ApiException}'s message reaches the caller; anything
 * else is a 500 with a reference to the log line that holds the details.
 */
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private final ApiResponses responses;

    public ApiErrors(ApiResponses responses) {
        this.responses = responses;
    }

    /** A refused request: its status, message and field. */
    public void apiError(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception caught,
                         @Simple("${fromRouteId}") String routeId, Message response) {
        // a step that computes a property (setProperty with a bean method) wraps what the bean threw
        ApiException e = ObjectHelper.getException(ApiException.class, caught);
        if (e == null) {
            internalError(caught, routeId, response);
            return;
        }
        LOG.debug("{} answered {} (field {})", routeId, e.status(), e.field());
        responses.write(response, e.status(), body(e.getMessage(), e.field()), null);
    }

    /** The instance a call was for was deleted while the call ran (on any node): what a later call would answer. */
    public void instanceGone(Message response) {
        responses.write(response, 404, body("Instance not found: it was deleted while this call ran", null), null);
    }

    /** A body that is not JSON. The parser's own message quotes the body, so it is not passed on. */
    public void invalidJson(Message response) {
        responses.write(response, 400, body("The request body is not valid JSON", "body"), null);
    }

    /** Anything unexpected: logged with a reference, answered without internals. */
    public void internalError(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable caught,
                              @Simple("${fromRouteId}") String routeId, Message response) {
        String reference = UUID.randomUUID().toString();
        LOG.error("Internal error {} in route {}", reference, routeId, caught);
        responses.write(response, 500, body("Internal error; the service log has the details under reference " + reference, null), null);
    }

    static Map<String, String> body(String message, String field) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        return body;
    }
}
