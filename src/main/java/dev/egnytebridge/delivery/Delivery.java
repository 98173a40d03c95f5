package dev.egnytebridge.delivery;

/**
 * A delivery claimed for one attempt: the stored body to POST, the callback URL, its endpoint ({@code origin}) and,
 * when the instance has one, the key that signs it. {@code attempt} is the number of this attempt, 1 for the first.
 * {@code leaseToken} names the claim that leased it: the outcome is only written while that lease still holds.
 * {@code probe} marks the one attempt let through to an endpoint whose circuit is open. {@code pushedAt} is when the
 * push of Egnyte's webhook that brought the notification's poll arrived, or null. {@code newestEventAt} is the newest
 * date among the notification's events (for the instance's lag gauge), or null.
 */
public record Delivery(long id, String eventId, long instanceId, String endpointUrl, String origin, int attempt,
                       String body, String signatureKey, String leaseToken, boolean probe, java.time.Instant pushedAt,
                       java.time.Instant newestEventAt) {

    public boolean signed() {
        return signatureKey != null && !signatureKey.isEmpty();
    }

    /** The URL without its query and user info, which may carry the receiver's credentials: for logs. */
    public static String loggableUrl(String url) {
        try {
            java.net.URI uri = java.net.URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (IllegalArgumentException e) {
            return "<unparseable URL>";
        }
    }

    @Override
    public String toString() {
        return "Delivery[id=" + id + ", eventId=" + eventId + ", instanceId=" + instanceId + ", attempt=" + attempt + "]";
    }
}
