package dev.egnytebridge.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What recording a batch of outcomes means for dispatching, applied once the batch is committed: endpoints to hold
 * back, callback URLs disabled, endpoints whose circuit closed (their waiting deliveries are due now), and the
 * earliest time something recorded falls due again.
 */
final class BatchEffects {

    record Callback(long instanceId, String url) {
    }

    final Set<String> heldOrigins = new LinkedHashSet<>();
    final List<Callback> disabled = new ArrayList<>();
    boolean newWork;
    Instant earliestDue;

    void due(Instant when) {
        if (earliestDue == null || when.isBefore(earliestDue)) {
            earliestDue = when;
        }
    }
}
