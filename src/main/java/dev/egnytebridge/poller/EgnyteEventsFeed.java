package dev.egnytebridge.poller;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.config.BridgeSettings;
import dev.egnytebridge.egnyte.DatePattern;
import dev.egnytebridge.egnyte.DateReader;
import dev.egnytebridge.egnyte.EgnyteCall;
import dev.egnytebridge.egnyte.EgnyteEventMapper;
import dev.egnytebridge.egnyte.EgnyteFault;
import dev.egnytebridge.egnyte.EgnyteRateLimiter;
import dev.egnytebridge.egnyte.JsonPaths;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.ResourceConfig;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Egnyte's Events API by cursor for the poll-egnyte-events route: on the very first poll it takes
 * {@code latest_event_id} (start from now), then pages through {@code /pubapi/v1/events?id=<cursor>} until Egnyte
 * answers 204 or a short page. A cursor Egnyte no longer knows (404, events aged out) restarts from
 * {@code oldest_event_id}; the idempotent filter keeps that from producing duplicates.
 */
public class EgnyteEventsFeed {

    static final String CURSOR = "egnyteCursor";
    static final String MORE_PAGES = "egnyteMorePages";
    static final String CURSOR_REQUEST = "egnyteCursorRequest";
    static final String PAGES = "egnytePages";
    static final String QPS_RETRIES = "egnyteQpsRetries";
    static final int MAX_QPS_RETRIES = 5;
    static final String EVENTS_PATH = "/pubapi/v1/events";
    static final String CURSOR_PATH = "/pubapi/v1/events/cursor";

    /** Which position the next request asks Egnyte for, when there is no usable cursor. */
    enum CursorRequest { LATEST, OLDEST }

    /** Egnyte's event timestamps, e.g. 2025-05-28T11:41:12.000Z. */
    private static final DatePattern EVENT_DATES = DatePattern.compile("yyyy-MM-dd'T'HH:mm:ss.SSSX", "UTC");
    private static final Logger LOG = LoggerFactory.getLogger(EgnyteEventsFeed.class);

    private final BridgeSettings settings;
    private final PollCursors cursors;
    private final EgnyteRateLimiter rateLimiter;
    private final EgnyteEventMapper mapper = new EgnyteEventMapper();

    public EgnyteEventsFeed(BridgeSettings settings, PollCursors cursors, EgnyteRateLimiter rateLimiter) {
        this.settings = settings;
        this.cursors = cursors;
        this.rateLimiter = rateLimiter;
    }

    public void loadCursor(Exchange exchange) {
        Instance instance = PollSession.instance(exchange);
        ResourceConfig resource = PollSession.resource(exchange);
        String cursor = cursors.find(instance.id(), resource.key()).map(PollCursors.Position::cursor).orElse(null);
        exchange.setProperty(CURSOR, cursor);
        exchange.setProperty(CURSOR_REQUEST, cursor == null ? CursorRequest.LATEST : null);
        exchange.setProperty(MORE_PAGES, true);
        exchange.setProperty(PAGES, 0);
    }

    public void prepareRequest(Exchange exchange) {
        Instance instance = PollSession.instance(exchange);
        if (exchange.getProperty(CURSOR_REQUEST) != null) {
            EgnyteCall.prepare(exchange, settings, instance, CURSOR_PATH, null);
            return;
        }
        ResourceConfig resource = PollSession.resource(exchange);
        String query = "id=" + exchange.getProperty(CURSOR, String.class) + "&count=" + pageSize(resource);
        if (!resource.query().isEmpty()) {
            // folder, suppress and type on the configured url pass through to Egnyte
            query += "&" + resource.query();
        }
        EgnyteCall.prepare(exchange, settings, instance, EVENTS_PATH, query);
    }

    /** Turns Egnyte's answer into the page's objects (the body) and where the cursor goes next. */
    public void readPage(Exchange exchange) {
        EgnyteCall.Answer answer = EgnyteCall.read(exchange);
        exchange.removeProperty(PollCursors.NEXT_CURSOR);
        exchange.getMessage().setBody(List.of());
        CursorRequest cursorRequest = exchange.getProperty(CURSOR_REQUEST, CursorRequest.class);
        if (cursorRequest != null) {
            readCursor(exchange, answer, cursorRequest);
            return;
        }
        if (answer.status() == 404) {
            LOG.warn("Egnyte no longer knows event cursor {} of instance {}: events may have aged out; resuming from the "
                    + "oldest event Egnyte keeps", exchange.getProperty(CURSOR), PollSession.instance(exchange).id());
            exchange.setProperty(CURSOR_REQUEST, CursorRequest.OLDEST);
            return;
        }
        if (answer.noContent()) {
            exchange.setProperty(MORE_PAGES, false);
            return;
        }
        JsonNode page;
        try {
            page = answer.json();
        } catch (EgnyteFault fault) {
            if (fault.kind() != EgnyteFault.Kind.OVER_QPS) {
                throw fault;
            }
            waitAndRetry(exchange, fault);
            return;
        }
        exchange.removeProperty(QPS_RETRIES);
        ResourceConfig resource = PollSession.resource(exchange);
        long cursor = Long.parseLong(exchange.getProperty(CURSOR, String.class));
        long oldest = page.path("oldest_id").asLong(0);
        if (oldest > cursor + 1 && exchange.getProperty(PAGES, 0, Integer.class) == 0) {
            LOG.warn("Egnyte's oldest event {} is newer than cursor {} of instance {}: events in between may have aged out",
                    oldest, cursor, PollSession.instance(exchange).id());
        }
        List<PolledObject> objects = new ArrayList<>();
        long newest = cursor;
        for (JsonNode event : page.path("events")) {
            if (!event.isObject()) {
                continue;
            }
            ObjectNode hub = mapper.toHubObject(event);
            newest = Math.max(newest, event.path("id").asLong(newest));
            objects.add(toPolledObject(PollSession.instance(exchange), resource, hub));
        }
        int pages = exchange.getProperty(PAGES, 0, Integer.class) + 1;
        exchange.setProperty(PAGES, pages);
        boolean fullPage = page.path("events").size() >= pageSize(resource);
        boolean progressed = newest > cursor;
        exchange.setProperty(MORE_PAGES, fullPage && progressed && pages < settings.pollerMaxPages());
        if (progressed) {
            exchange.setProperty(CURSOR, String.valueOf(newest));
            exchange.setProperty(PollCursors.NEXT_CURSOR, String.valueOf(newest));
        }
        PollSession.countFound(exchange, objects.size());
        exchange.getMessage().setBody(objects);
    }

    /** Over Egnyte's per-second limit: the same request goes again once Retry-After has passed, a few times. */
    private void waitAndRetry(Exchange exchange, EgnyteFault fault) {
        int retries = exchange.getProperty(QPS_RETRIES, 0, Integer.class) + 1;
        if (retries > MAX_QPS_RETRIES) {
            throw fault;
        }
        exchange.setProperty(QPS_RETRIES, retries);
        rateLimiter.backOff(PollSession.instance(exchange).secrets().accessToken(), fault.retryAfter());
    }

    private void readCursor(Exchange exchange, EgnyteCall.Answer answer, CursorRequest request) {
        JsonNode cursor = answer.json();
        long position = request == CursorRequest.LATEST
                ? cursor.path("latest_event_id").asLong(-1)
                : cursor.path("oldest_event_id").asLong(-1) - 1;
        if (position < -1 || !cursor.hasNonNull(request == CursorRequest.LATEST ? "latest_event_id" : "oldest_event_id")) {
            throw new EgnyteFault(EgnyteFault.Kind.PROVIDER_ERROR, answer.status(), null,
                    "unexpected JSON from Egnyte: the events cursor has no " + request.name().toLowerCase(Locale.ROOT) + " event id");
        }
        String value = String.valueOf(Math.max(0, position));
        exchange.setProperty(CURSOR, value);
        exchange.setProperty(PollCursors.NEXT_CURSOR, value);
        exchange.setProperty(CURSOR_REQUEST, null);
        // starting from now there is nothing to read yet; restarting from the oldest event, read on
        exchange.setProperty(MORE_PAGES, request == CursorRequest.OLDEST);
    }

    private int pageSize(ResourceConfig resource) {
        return resource.pageSize() == null ? settings.pollerPageSize() : Math.min(100, resource.pageSize());
    }

    static PolledObject toPolledObject(Instance instance, ResourceConfig resource, ObjectNode hub) {
        String objectId = JsonPaths.text(hub, resource.idField());
        String eventId = hub.path("event_object_id").asText();
        Instant when = DateReader.read(hub.path("event_date"), EVENT_DATES);
        String date = when == null ? null : DateReader.iso(when);
        String key = IdempotencyKeys.of(instance.id(), resource.key(), eventId, null);
        return new PolledObject(resource.key(), objectId == null ? eventId : objectId, hub.path("event_type").asText("UNKNOWN"),
                date, hub, key);
    }
}
