package dev.egnytebridge.instance;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Bean {@code apiResponses}: the last step of a REST route. Writes the body as JSON and drops every other header, so
 * nothing of the request (its Authorization header, its query parameters) is echoed back as a response header.
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
            out.setBody(writer.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the response as JSON", e);
        }
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader("X-Content-Type-Options", "nosniff");
        Map<?, ?> extra = exchange.getProperty(RESPONSE_HEADERS, Map.class);
        if (extra != null) {
            extra.forEach((name, value) -> out.setHeader(name.toString(), value));
        }
    }
}
