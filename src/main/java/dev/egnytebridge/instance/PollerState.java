package dev.egnytebridge.instance;

import java.time.Instant;

/** How an instance's poller is doing, as stored with the instance. */
public record PollerState(boolean pollerDisabled, int consecutiveFailures, Instant lastPollAt, String lastPollStatus,
                          String lastPollError, Instant pausedUntil, String pausedReason) {

    public static final PollerState NEW = new PollerState(false, 0, null, null, null, null, null);

    public boolean pausedAt(Instant now) {
        return pausedUntil != null && pausedUntil.isAfter(now);
    }
}
