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
import dev.egnytebridge.egnyte.EgnyteAnswer;
import dev.egnytebridge.egnyte.EgnyteEventMapper;
import dev.egnytebridge.egnyte.EgnyteFault;
import dev.egnytebridge.egnyte.EgnyteRequest;
import dev.egnytebridge.egnyte.JsonPaths;
import dev.egnytebridge.gaps.EventGap;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.ResourceConfig;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Egnyte's Events API by cursor for the poll-egnyte-events route: on the very first poll it takes
 * {@code latest_event_id} (start from now), then pages through {@code /pubapi/v1/events?id=<cursor>} until Egnyte
 * answers 204 or a short page. A cursor Egnyte no longer knows (404, events aged out) restarts from
 * {@code oldest_event_id}; the idempotent filter keeps that from producing duplicates. Egnyte's per-second limit is
 * waited out by route call-egnyte, for every call alike.
 */
public class EgnyteEventsFeed {

    static final String EVENTS_PATH = "/pubapi/v1/events";
    static final String CURSOR_PATH = "/pubapi/v1/events/cursor";

    /** Egnyte's event timestamps, e.g. 2025-05-28T11:41:12.000Z. */
    private static final DatePattern EVENT_DATES = DatePattern.compile("yyyy-MM-dd'T'HH:mm:ss.SSSX", "UTC");
    private static final Logger LOG = LoggerFactory.getLogger(EgnyteEventsFeed.class);

    private final BridgeSettings settings;
    private final PollCursors cursors;
    private final EgnyteEventMapper mapper = new EgnyteEventMapper();

    public EgnyteEventsFeed(BridgeSettings settings, PollCursors cursors) {
        this.settings = settings;
        this.cursors = cursors;
    }

    /** Step {@code load-events-cursor}: reading starts at the stored cursor, or asks Egnyte for its latest event. */
    public void loadCursor(@ExchangeProperty(Poll.PROPERTY) Poll poll) {
        ResourceRead read = poll.resource();
        read.startAt(cursors.find(poll.instanceId(), read.key()).map(PollCursors.Position::cursor).orElse(null));
    }

    /** Step {@code ask-for-events-page}: the cursor request while there is no usable cursor, else the next page. */
    public EgnyteRequest request(@ExchangeProperty(Poll.PROPERTY) Poll poll) {
        Instance instance = poll.instance();
        ResourceRead read = poll.resource();
        if (read.cursorRequest() != null) {
            return get(instance, CURSOR_PATH, null);
        }
        ResourceConfig resource = read.config();
        String query = "id=" + read.cursor() + "&count=" + pageSize(resource);
        if (!resource.query().isEmpty()) {
            // folder, suppress and type on the configured url pass through to Egnyte
            query += "&" + resource.query();
        }
        return get(instance, EVENTS_PATH, query);
    }

    private static EgnyteRequest get(Instance instance, String path, String query) {
        return EgnyteRequest.get(instance.subdomain(), instance.secrets().accessToken(), path, query).forInstance(instance.id());
    }

    /** Step {@code read-events-page}: Egnyte's answer as the page's objects, and where the cursor goes next. */
    public List<PolledObject> readPage(@Body EgnyteAnswer answer, @ExchangeProperty(Poll.PROPERTY) Poll poll) {
        ResourceRead read = poll.resource();
        read.clearNext();
        if (read.cursorRequest() != null) {
            readCursor(read, answer);
            return List.of();
        }
        if (answer.status() == 404) {
            LOG.warn("Egnyte no longer knows event cursor {} of instance {}: events may have aged out; resuming from the "
                    + "oldest event Egnyte keeps", read.cursor(), poll.instanceId());
            read.cursorAgedOut();
            return List.of();
        }
        if (answer.noContent()) {
            read.pageRead(null, false);
            return List.of();
        }
        JsonNode page = answer.json();
        ResourceConfig resource = read.config();
        long cursor = Long.parseLong(read.cursor());
        long oldest = page.path("oldest_id").asLong(0);
        // with a folder, type or suppress filter the first event returned may lie anywhere above the cursor
        if (oldest > cursor + 1 && read.pages() == 0 && resource.query().isEmpty()) {
            LOG.warn("Egnyte's oldest event {} is newer than cursor {} of instance {}: events in between may have aged out",
                    oldest, cursor, poll.instanceId());
            read.gapBefore(String.valueOf(oldest - 1), EventGap.OLDEST_NEWER_THAN_CURSOR);
        }
        List<PolledObject> objects = new ArrayList<>();
        long newest = cursor;
        for (JsonNode event : page.path("events")) {
            if (!event.isObject()) {
                continue;
            }
            ObjectNode hub = mapper.toHubObject(event);
            newest = Math.max(newest, event.path("id").asLong(newest));
            objects.add(toPolledObject(poll.instance(), resource, hub));
        }
        read.countPage();
        boolean fullPage = page.path("events").size() >= pageSize(resource);
        boolean progressed = newest > cursor;
        read.pageRead(progressed ? String.valueOf(newest) : null,
                fullPage && progressed && read.pages() < settings.pollerMaxPages());
        return objects;
    }

    private void readCursor(ResourceRead read, EgnyteAnswer answer) {
        ResourceRead.CursorRequest request = read.cursorRequest();
        JsonNode cursor = answer.json();
        long position = request == ResourceRead.CursorRequest.LATEST
                ? cursor.path("latest_event_id").asLong(-1)
                : cursor.path("oldest_event_id").asLong(-1) - 1;
        if (position < -1 || !cursor.hasNonNull(request == ResourceRead.CursorRequest.LATEST ? "latest_event_id" : "oldest_event_id")) {
            throw new EgnyteFault(EgnyteFault.Kind.PROVIDER_ERROR, answer.status(), null,
                    "unexpected JSON from Egnyte: the events cursor has no " + request.name().toLowerCase(Locale.ROOT) + " event id");
        }
        // starting from now there is nothing to read yet; restarting from the oldest event, read on
        read.cursorFound(String.valueOf(Math.max(0, position)), request == ResourceRead.CursorRequest.OLDEST);
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
