package dev.egnytebridge.instance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Bean {@code apiResponses}: the last step of a REST route. Writes the body as JSON and drops every other header, so
 * nothing of the request (its Authorization header, its query parameters) is echoed back as a response header.
 */
public class ApiResponses {

    private final ObjectMapper mapper;

    public ApiResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Exchange property: headers (a Map) a route wants in its answer, such as a paging token. */
    public static final String RESPONSE_HEADERS = "bridgeResponseHeaders";

    /** 200 with the body as JSON. */
    public void ok(Exchange exchange) {
        write(exchange, 200, exchange.getMessage().getBody());
    }

    /** 204 without a body. */
    public void noContent(Exchange exchange) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setBody(null);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
    }

    void write(Exchange exchange, int status, Object body) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        try {
            out.setBody(mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the response as JSON", e);
        }
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        Map<?, ?> extra = exchange.getProperty(RESPONSE_HEADERS, Map.class);
        if (extra != null) {
            extra.forEach((name, value) -> out.setHeader(name.toString(), value));
        }
    }
}
