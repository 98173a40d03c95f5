package dev.egnytebridge.api;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;

/**
 * Bean {@code apiResponses}: the last step of a REST route. Writes the body as JSON and drops every other header, so
 * nothing of the request (its Authorization header, its query parameters) is echoed back as a response header. Takes
 * the {@link Message} because its job is the HTTP status and headers.
 */
public class ApiResponses {

    /** Exchange property: headers (a Map) a route wants in its answer, such as a paging token. */
    public static final String RESPONSE_HEADERS = "bridgeResponseHeaders";

    private final ObjectWriter writer;

    public ApiResponses(ObjectMapper mapper) {
        this.writer = mapper.writer().with(new HtmlSafeEscapes());
    }

    /**
     * Escapes {@code < > & '} as JSON unicode escapes: the JSON means the same, but a name such as {@code <script>} can never
     * be read as markup by a browser or a log viewer that renders HTML.
     */
    static final class HtmlSafeEscapes extends CharacterEscapes {
        private final int[] escapes;

        HtmlSafeEscapes() {
            escapes = CharacterEscapes.standardAsciiEscapesForJSON();
            for (char c : new char[]{'<', '>', '&', '\''}) {
                escapes[c] = CharacterEscapes.ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }

    /** 200 with the body as JSON, and the headers the flow left in {@value #RESPONSE_HEADERS}, if any. */
    public void ok(@Body Object body, @ExchangeProperty(RESPONSE_HEADERS) Map<?, ?> headers, Message response) {
        write(response, 200, body, headers);
    }

    /** 204 without a body. */
    public void noContent(Message response) {
        response.removeHeaders("*");
        response.setBody(null);
        response.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
    }

    void write(Message response, int status, Object body, Map<?, ?> headers) {
        response.removeHeaders("*");
        response.setBody(json(body));
        response.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        response.setHeader(Exchange.CONTENT_TYPE, "application/json");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (headers != null) {
            headers.forEach((name, value) -> response.setHeader(name.toString(), value));
        }
    }

    /** The body as JSON, escaped as every answer is (also for the answers the HTTP server writes itself). */
    String json(Object body) {
        try {
            return writer.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the response as JSON", e);
        }
    }
}
