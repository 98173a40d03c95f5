package dev.egnytebridge.poller;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.gaps.EventGap;
import dev.egnytebridge.gaps.EventGaps;
import dev.egnytebridge.observe.BridgeMetrics;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step {@code record-gap} of the hand-off: a gap the events feed found while reading (ResourceRead.gap) is stored in
 * the transaction that moves the cursor past it, so it is stored exactly once, and counted. When the instance asks for
 * it ({@code event.notification.gaps}), the gap also becomes one object for a notification, Cloud Elements' way of
 * saying it cannot classify an event: {@code eventType} UNKNOWN, {@code objectType} gap.
 */
public class PollGaps {

    /** The notification's objectType (and resource) for a gap. */
    public static final String OBJECT_TYPE = "gap";

    private static final Logger LOG = LoggerFactory.getLogger(PollGaps.class);

    private final EventGaps gaps;
    private final BridgeMetrics metrics;
    private final ObjectMapper mapper;

    public PollGaps(EventGaps gaps, BridgeMetrics metrics, ObjectMapper mapper) {
        this.gaps = gaps;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    /** The gap as the one object of a notification, when the instance wants one; otherwise (and with no gap) none. */
    public List<PolledObject> record(@ExchangeProperty(Poll.PROPERTY) Poll poll) {
        ResourceRead read = poll.resource();
        ResourceRead.Gap found = read.gap();
        if (found == null || read.nextCursor() == null) {
            return List.of(); // nothing found, or the cursor does not move past it yet: stored with that hand-off
        }
        boolean notify = poll.instance().polling().notifyGaps();
        EventGap gap = gaps.store(poll.instanceId(), read.key(), found.fromCursor(), found.toCursor(), found.reason(), notify);
        read.gapStored();
        metrics.eventGap(poll.instanceId());
        LOG.warn("Events of instance {} after Egnyte event {} up to {} may have been lost ({}); stored as gap {}",
                poll.instanceId(), gap.fromCursor(), gap.toCursor(), gap.reason(), gap.id());
        return notify ? List.of(object(gap)) : List.of();
    }

    private PolledObject object(EventGap gap) {
        ObjectNode raw = mapper.createObjectNode();
        raw.put("objectType", OBJECT_TYPE);
        raw.put("gapId", gap.id());
        raw.put("resource", gap.resource());
        raw.put("fromCursor", gap.fromCursor());
        raw.put("toCursor", gap.toCursor());
        raw.put("reason", gap.reason());
        raw.put("detectedAt", gap.detectedAt().toString());
        String id = String.valueOf(gap.id());
        return new PolledObject(OBJECT_TYPE, id, "UNKNOWN", gap.detectedAt().toString(), raw, "gap:" + id);
    }
}
