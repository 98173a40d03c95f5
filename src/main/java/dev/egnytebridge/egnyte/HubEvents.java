package dev.egnytebridge.egnyte;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.api.ApiException;
import dev.egnytebridge.api.ApiResponses;
import dev.egnytebridge.config.BridgeSettings;
import dev.egnytebridge.instance.Instance;
import org.apache.camel.Exchange;

/**
 * Serves an instance's hub objects at {@code GET /hubs/documents/events}: Egnyte's events, read live with the
 * instance's token and mapped exactly as the poller maps them. Paging follows Cloud Elements: {@code pageSize}
 * (at most 100) and the {@code Elements-Next-Page-Token} header, passed back as {@code nextPage}. Without
 * {@code nextPage} the newest page is served.
 */
public class HubEvents {

    public static final String NEXT_PAGE_HEADER = "Elements-Next-Page-Token";
    static final String INSTANCE = "bridgeInstance";
    static final String START = "hubStart";
    static final String PAGE_SIZE = "hubPageSize";

    private final BridgeSettings settings;
    private final EgnyteEventMapper mapper = new EgnyteEventMapper();

    public HubEvents(BridgeSettings settings) {
        this.settings = settings;
    }

    /** Reads the paging parameters, and prepares the cursor request that the newest page needs. */
    public void prepare(Exchange exchange) {
        int pageSize = pageSize(exchange.getMessage().getHeader("pageSize", String.class));
        String nextPage = exchange.getMessage().getHeader("nextPage", String.class);
        exchange.setProperty(PAGE_SIZE, pageSize);
        if (nextPage != null && !nextPage.isBlank()) {
            if (!nextPage.trim().matches("\\d{1,18}")) {
                throw ApiException.badField("nextPage", "must be the Elements-Next-Page-Token of a previous page");
            }
            exchange.setProperty(START, Long.parseLong(nextPage.trim()));
            return;
        }
        EgnyteCall.prepare(exchange, settings, instance(exchange), "/pubapi/v1/events/cursor", null);
    }

    /** From Egnyte's cursor, where the newest page starts. */
    public void readCursor(Exchange exchange) {
        JsonNode cursor = answer(exchange);
        long latest = cursor.path("latest_event_id").asLong(0);
        long oldest = cursor.path("oldest_event_id").asLong(0);
        int pageSize = exchange.getProperty(PAGE_SIZE, Integer.class);
        exchange.setProperty(START, Math.max(Math.max(0, oldest - 1), latest - pageSize));
    }

    public void prepareEvents(Exchange exchange) {
        String query = "id=" + exchange.getProperty(START, Long.class) + "&count=" + exchange.getProperty(PAGE_SIZE, Integer.class);
        EgnyteCall.prepare(exchange, settings, instance(exchange), "/pubapi/v1/events", query);
    }

    /** The page's hub objects as the body, and the token of the next page when there may be one. */
    public void readEvents(Exchange exchange) {
        EgnyteCall.Answer answer = EgnyteCall.read(exchange);
        List<ObjectNode> hubObjects = new ArrayList<>();
        if (answer.status() != 204) {
            long last = exchange.getProperty(START, Long.class);
            for (JsonNode event : json(answer).path("events")) {
                hubObjects.add(mapper.toHubObject(event));
                last = Math.max(last, event.path("id").asLong(last));
            }
            if (hubObjects.size() >= exchange.getProperty(PAGE_SIZE, Integer.class)) {
                exchange.setProperty(ApiResponses.RESPONSE_HEADERS, Map.of(NEXT_PAGE_HEADER, String.valueOf(last)));
            }
        }
        exchange.getMessage().setBody(hubObjects);
    }

    private JsonNode answer(Exchange exchange) {
        return json(EgnyteCall.read(exchange));
    }

    /** Egnyte's faults become 502s that say what Egnyte did; a forgotten page token is the caller's 400. */
    private static JsonNode json(EgnyteCall.Answer answer) {
        try {
            return answer.json();
        } catch (EgnyteFault fault) {
            if (fault.kind() == EgnyteFault.Kind.NOT_FOUND) {
                throw ApiException.badField("nextPage", "Egnyte no longer keeps events that old; start again without nextPage");
            }
            throw new ApiException(502, null, fault.getMessage());
        }
    }

    private static int pageSize(String value) {
        if (value == null || value.isBlank()) {
            return 100;
        }
        try {
            int size = Integer.parseInt(value.trim());
            if (size >= 1 && size <= 100) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badField("pageSize", "must be a whole number from 1 to 100");
    }

    private static Instance instance(Exchange exchange) {
        return exchange.getProperty(INSTANCE, Instance.class);
    }
}
