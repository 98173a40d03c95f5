package dev.egnytebridge.poller;

import java.time.Instant;

/** One poll this node has claimed: the instance, when the schedule planned it, and its interval. */
public record DuePoll(long instanceId, Instant plannedAt, long intervalMs) {

    /**
     * The next beat of the instance's fixed-rate schedule after {@code now}. A poll that ran longer than its interval,
     * or a schedule that was not served for a while (every node down), resumes on the beat instead of catching up
     * with polls back to back: each poll reads everything since the stored cursor anyway.
     */
    public Instant nextAfter(Instant now) {
        long planned = plannedAt.toEpochMilli();
        long beats = Math.max(1, (now.toEpochMilli() - planned) / intervalMs + 1);
        return Instant.ofEpochMilli(planned + beats * intervalMs);
    }
}
