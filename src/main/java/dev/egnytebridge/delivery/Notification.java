package dev.egnytebridge.delivery;

/**
 * One notification as stored in the outbox and sent: {@code body} is the serialized JSON, sent and signed byte for
 * byte as it is here. {@code sequence} is its place among the instance's notifications ({@code message.sequence}).
 * {@code newestEventAt} is the newest date among its events (null when none has a date): delivering it sets the
 * instance's lag gauge without parsing the body again.
 */
public record Notification(String eventId, long instanceId, String resource, int objectCount, long sequence,
                           String body, java.time.Instant newestEventAt) {

    /** The same notification with another body (a customized route edited its message). */
    public Notification withBody(String newBody) {
        return new Notification(eventId, instanceId, resource, objectCount, sequence, newBody, newestEventAt);
    }
}
