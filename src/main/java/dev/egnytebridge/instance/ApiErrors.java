package dev.egnytebridge.instance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.egnytebridge.ApiException;
import org.apache.camel.Exchange;
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
    public void apiError(Exchange exchange) {
        ApiException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ApiException.class);
        if (e == null) {
            internalError(exchange);
            return;
        }
        LOG.debug("{} answered {} (field {})", exchange.getFromRouteId(), e.status(), e.field());
        responses.write(exchange, e.status(), body(e.getMessage(), e.field()));
    }

    /** A body that is not JSON. The parser's own message quotes the body, so it is not passed on. */
    public void invalidJson(Exchange exchange) {
        responses.write(exchange, 400, body("The request body is not valid JSON", "body"));
    }

    /** Anything unexpected: logged with a reference, answered without internals. */
    public void internalError(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reference = UUID.randomUUID().toString();
        LOG.error("Internal error {} in route {}", reference, exchange.getFromRouteId(), e);
        responses.write(exchange, 500, body("Internal error; the service log has the details under reference " + reference, null));
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
