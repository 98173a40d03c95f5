package dev.egnytebridge.delivery;

/**
 * One notification as stored in the outbox and sent: {@code body} is the serialized JSON, sent and signed byte for
 * byte as it is here.
 */
public record Notification(String eventId, long instanceId, String resource, int objectCount, String body) {
}
