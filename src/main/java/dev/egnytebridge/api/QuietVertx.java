package dev.egnytebridge.api;

import io.vertx.core.VertxOptions;

/**
 * Vert.x settings for a process that is idle most of the time. Vert.x checks every second whether an event loop is
 * blocked, and an HTTP client's pools look for expired connections every second: per Vert.x instance, a second's
 * wake-ups that an idle bridge pays for nothing. Every 10 s is enough for both: a blocked-loop warning (after 2 s of
 * blocking) comes up to 10 s later, and a connection idle past its keep-alive is closed up to 10 s later.
 */
public final class QuietVertx {

    /** Vert.x's blocked-thread checker period, ms (Vert.x's default: 1,000). */
    public static final long BLOCKED_THREAD_CHECK_MS = 10_000;
    /** An HTTP client's pool cleaner period, ms (Vert.x's default: 1,000). */
    public static final int POOL_CLEANER_PERIOD_MS = 10_000;

    private QuietVertx() {
    }

    /** Vert.x options with the quiet checker; the caller adds its own settings. */
    public static VertxOptions options() {
        return new VertxOptions().setBlockedThreadCheckInterval(BLOCKED_THREAD_CHECK_MS);
    }
}
