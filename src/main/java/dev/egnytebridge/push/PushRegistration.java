package dev.egnytebridge.push;

import java.time.Instant;

/**
 * An instance's webhook registration as the bridge keeps it (table egnyte_push).
 *
 * @param hookKey    the random key in the receiver's path
 * @param state      {@link PushState}
 * @param reason     why it is not active (or how it became active again), or null
 * @param webhookId  Egnyte's id while a registration exists, else null
 * @param expiresAt  when Egnyte lets it expire unless renewed, or null
 * @param registered what was registered (url, eventType, path) as JSON, to see when the filters change
 * @param failures   upkeeps in a row that failed for a passing reason (each doubles the wait before the next)
 */
public record PushRegistration(long instanceId, String hookKey, PushState state, String reason, String webhookId,
                               Instant expiresAt, String registered, Instant lastPushAt, int failures) {
}
