package dev.egnytebridge.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * What one delivery attempt came to: the endpoint's HTTP status, or the error when no response came (timeout,
 * connection refused). {@code retryAfter} is the endpoint's Retry-After, when it sent one.
 */
public record AttemptOutcome(Instant attemptedAt, Integer httpStatus, String error, long durationMs, Duration retryAfter) {

    public static AttemptOutcome response(Instant attemptedAt, int httpStatus, long durationMs, Duration retryAfter) {
        return new AttemptOutcome(attemptedAt, httpStatus, null, durationMs, retryAfter);
    }

    public static AttemptOutcome error(Instant attemptedAt, String error, long durationMs) {
        return new AttemptOutcome(attemptedAt, null, error, durationMs, null);
    }

    public boolean delivered() {
        return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
    }

    public boolean gone() {
        return httpStatus != null && httpStatus == 410;
    }

    /** 429 and 503 ask the sender to slow down; their Retry-After is honoured. */
    public boolean asksToSlowDown() {
        return httpStatus != null && (httpStatus == 429 || httpStatus == 503);
    }
}
