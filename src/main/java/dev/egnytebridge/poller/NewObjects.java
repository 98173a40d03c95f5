package dev.egnytebridge.poller;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.store.SeenObjects;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * Route step {@code drop-already-delivered}: keeps the objects of a page that were never handed to delivery, and
 * remembers them, in the hand-off's transaction (so a rolled-back hand-off forgets them again). The whole page takes
 * one insert statement (PostgreSQL) or one batch of inserts (H2). Repeats are counted per instance
 * ({@code bridge_objects_duplicates_total}).
 */
public class NewObjects {

    private final SeenObjects seen;
    private final BridgeMetrics metrics;

    public NewObjects(SeenObjects seen, BridgeMetrics metrics) {
        this.seen = seen;
        this.metrics = metrics;
    }

    /** The page's new objects, in their order; an object whose key appears twice in the page is kept once. */
    public List<PolledObject> keep(@ExchangeProperty(Poll.PROPERTY) Poll poll, @Body List<PolledObject> page) {
        Set<String> fresh = new HashSet<>(seen.remember(page.stream().map(PolledObject::idempotencyKey).toList()));
        List<PolledObject> kept = new ArrayList<>(fresh.size());
        for (PolledObject object : page) {
            if (fresh.remove(object.idempotencyKey())) {
                kept.add(object);
            } else {
                metrics.duplicateDropped(poll.instanceId());
            }
        }
        return kept;
    }
}
