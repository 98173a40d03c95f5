package dev.egnytebridge.hubs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.api.ApiException;
import dev.egnytebridge.egnyte.EgnyteAnswer;
import dev.egnytebridge.egnyte.EgnyteEventMapper;
import dev.egnytebridge.egnyte.EgnyteFault;
import dev.egnytebridge.egnyte.EgnyteRequest;
import dev.egnytebridge.api.ApiResponses;
import dev.egnytebridge.instance.Instance;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperties;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * Serves an instance's hub objects at {@code GET /hubs/documents/events}: Egnyte's events, read live with the
 * instance's token and mapped exactly as the poller maps them. Paging follows Cloud Elements: {@code pageSize}
 * (at most 100) and the {@code Elements-Next-Page-Token} header, passed back as {@code nextPage}. Without
 * {@code nextPage} the newest page is served.
 */
public class HubEvents {

    public static final String NEXT_PAGE_HEADER = "Elements-Next-Page-Token";
    /** The property the authentication step (apiAuth.element) leaves the caller's instance in. */
    static final String AUTHENTICATED_INSTANCE = "bridgeInstance";
    static final String CURSOR_PATH = "/pubapi/v1/events/cursor";
    static final String EVENTS_PATH = "/pubapi/v1/events";

    private final EgnyteEventMapper mapper = new EgnyteEventMapper();

    /** Step {@code read-paging}: the page asked for, of the authenticated instance. */
    public HubPage page(@ExchangeProperty(AUTHENTICATED_INSTANCE) Instance instance, @Header("pageSize") String pageSize,
                        @Header("nextPage") String nextPage) {
        int size = pageSize(pageSize);
        if (nextPage != null && !nextPage.isBlank()) {
            if (!nextPage.trim().matches("\\d{1,18}")) {
                throw ApiException.badField("nextPage", "must be the Elements-Next-Page-Token of a previous page");
            }
            return new HubPage(instance, size, Long.parseLong(nextPage.trim()));
        }
        return new HubPage(instance, size, null);
    }

    /** Step {@code ask-for-the-cursor}: the newest page needs Egnyte's cursor first. */
    public EgnyteRequest cursorRequest(@ExchangeProperty(HubPage.PROPERTY) HubPage page) {
        return request(page.instance(), CURSOR_PATH, null);
    }

    /** Step {@code find-newest-page}: from Egnyte's cursor, where the newest page starts. */
    public void readCursor(@Body EgnyteAnswer answer, @ExchangeProperty(HubPage.PROPERTY) HubPage page) {
        JsonNode cursor = json(answer);
        long latest = cursor.path("latest_event_id").asLong(0);
        long oldest = cursor.path("oldest_event_id").asLong(0);
        page.startAt(Math.max(Math.max(0, oldest - 1), latest - page.pageSize()));
    }

    /** Step {@code ask-for-the-events}. */
    public EgnyteRequest eventsRequest(@ExchangeProperty(HubPage.PROPERTY) HubPage page) {
        return request(page.instance(), EVENTS_PATH, "id=" + page.start() + "&count=" + page.pageSize());
    }

    /**
     * Step {@code map-to-hub-objects}: the page's hub objects, and the token of the next page (a response header)
     * when there may be one.
     */
    public List<ObjectNode> readEvents(@Body EgnyteAnswer answer, @ExchangeProperty(HubPage.PROPERTY) HubPage page,
                                       @ExchangeProperties Map<String, Object> properties) {
        List<ObjectNode> hubObjects = new ArrayList<>();
        if (answer.status() != 204) {
            long last = page.start();
            for (JsonNode event : json(answer).path("events")) {
                hubObjects.add(mapper.toHubObject(event));
                last = Math.max(last, event.path("id").asLong(last));
            }
            if (hubObjects.size() >= page.pageSize()) {
                properties.put(ApiResponses.RESPONSE_HEADERS, Map.of(NEXT_PAGE_HEADER, String.valueOf(last)));
            }
        }
        return hubObjects;
    }

    private static EgnyteRequest request(Instance instance, String path, String query) {
        return EgnyteRequest.get(instance.subdomain(), instance.secrets().accessToken(), path, query).forInstance(instance.id());
    }

    /** Egnyte's faults become 502s that say what Egnyte did; a forgotten page token is the caller's 400. */
    private static JsonNode json(EgnyteAnswer answer) {
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
}
