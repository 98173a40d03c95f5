package dev.egnytebridge.delivery;

/**
 * One notification as stored in the outbox and sent: {@code body} is the serialized JSON, sent and signed byte for
 * byte as it is here. {@code sequence} is its place among the instance's notifications ({@code message.sequence}).
 */
public record Notification(String eventId, long instanceId, String resource, int objectCount, long sequence,
                           String body) {

    /** The same notification with another body (a customized route edited its message). */
    public Notification withBody(String newBody) {
        return new Notification(eventId, instanceId, resource, objectCount, sequence, newBody);
    }
}
