package dev.egnytebridge.gaps;

import java.time.Instant;

/**
 * Events of an instance's resource that may have been lost at Egnyte: those after {@code fromCursor} up to and
 * including {@code toCursor} (Egnyte event ids), found at {@code detectedAt}.
 *
 * @param reason   {@link #CURSOR_AGED_OUT} or {@link #OLDEST_NEWER_THAN_CURSOR}
 * @param notified whether the instance's callbacks were sent a notification of it
 */
public record EventGap(long id, long instanceId, String resource, String fromCursor, String toCursor, String reason,
                       Instant detectedAt, boolean notified) {

    /** Egnyte no longer knew the stored cursor (404): reading restarted from the oldest event it keeps. */
    public static final String CURSOR_AGED_OUT = "CURSOR_AGED_OUT";
    /** Egnyte's oldest event was newer than the event after the stored cursor. */
    public static final String OLDEST_NEWER_THAN_CURSOR = "OLDEST_NEWER_THAN_CURSOR";
}
