package dev.egnytebridge.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * What one delivery attempt came to: the endpoint's HTTP status, or the error when no response came (timeout,
 * connection refused, refused address). {@code retryAfter} is the endpoint's Retry-After, when it sent one.
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

    /** 410: the receiver says this URL is gone for good (Standard Webhooks): the callback URL is disabled. */
    public boolean gone() {
        return httpStatus != null && httpStatus == 410;
    }

    /**
     * 429 or 503 with a Retry-After: the endpoint asks to slow down. Its deliveries wait that long; the attempt uses
     * up no retry and does not count toward its circuit.
     */
    public boolean throttled() {
        return httpStatus != null && (httpStatus == 429 || httpStatus == 503) && retryAfter != null;
    }

    /** Failures that say the endpoint is down (no answer, or a 5xx): they count toward opening its circuit. */
    public boolean endpointDown() {
        return !throttled() && (httpStatus == null || httpStatus >= 500);
    }

    /** The status or the error, for logs and the delivery's last error. */
    public String describe() {
        return httpStatus != null ? "HTTP " + httpStatus : error;
    }
}
