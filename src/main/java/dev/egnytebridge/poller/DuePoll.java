package dev.egnytebridge.poller;

import java.time.Duration;
import java.time.Instant;

/**
 * One poll this node has claimed: the instance, when the schedule planned it, its interval, and (once it runs) when it
 * really started.
 */
public record DuePoll(long instanceId, Instant plannedAt, long intervalMs, Instant startedAt) {

    /** A poll that starts later than this after its planned time moves the instance's beat to its real start. */
    static final Duration LATE_START = Duration.ofSeconds(1);

    public DuePoll(long instanceId, Instant plannedAt, long intervalMs) {
        this(instanceId, plannedAt, intervalMs, null);
    }

    public DuePoll startedAt(Instant started) {
        return new DuePoll(instanceId, plannedAt, intervalMs, started);
    }

    /**
     * The next poll after {@code now}. On time, the beat is kept: the planned start plus whole intervals (fixed rate).
     * A poll that started late (many instances came due at once: created in bulk, after an upgrade, or the node was
     * down) moves the beat to its real start, so polls that once came due together spread out by themselves instead
     * of coming due together on every beat. A poll that ran longer than its interval resumes on the next beat, not
     * back to back: each poll reads everything since the stored cursor anyway.
     */
    public Instant nextAfter(Instant now) {
        boolean late = startedAt != null && Duration.between(plannedAt, startedAt).compareTo(LATE_START) > 0;
        long base = (late ? startedAt : plannedAt).toEpochMilli();
        long beats = Math.max(1, (now.toEpochMilli() - base) / intervalMs + 1);
        return Instant.ofEpochMilli(base + beats * intervalMs);
    }
}
