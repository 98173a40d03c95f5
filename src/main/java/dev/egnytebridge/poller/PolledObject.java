package dev.egnytebridge.poller;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One object a poll found new: what the notification normalizes ({@code objectId}, {@code eventType}, {@code date})
 * and the provider's own object ({@code raw}, the hub object) that travels unchanged.
 *
 * @param resource       the resource key of event.poller.configuration; the notification's objectType
 * @param objectId       the value of the resource's idField
 * @param eventType      CREATED, UPDATED, DELETED or UNKNOWN
 * @param date           the object's date as ISO-8601 UTC, or null when it has none
 * @param raw            the hub object
 * @param idempotencyKey the key the idempotent filter drops repeats by
 */
public record PolledObject(String resource, String objectId, String eventType, String date, ObjectNode raw,
                           String idempotencyKey) {
}
