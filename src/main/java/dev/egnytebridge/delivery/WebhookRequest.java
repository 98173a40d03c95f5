package dev.egnytebridge.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Body;

/**
 * Route step {@code sign-request}: turns a claimed {@link Delivery} into the exact request the callback gets: the
 * stored body as bytes (so it goes out exactly as stored and signed), the delivery headers and, when the instance has
 * a key, the signatures. Nothing else: no internal header ever reaches an endpoint.
 */
public class WebhookRequest {

    /** Exchange property holding the {@link Delivery} the deliver-notification flow works on. */
    public static final String DELIVERY = "delivery";

    public static final String ELEMENTS_WEBHOOK_ID = "Elements-Webhook-Id";
    public static final String USER_AGENT = "EgnyteEventsBridge/1.0";

    /** The request to POST: the callback URL, its headers and body, and when it was signed. */
    public record Outgoing(String url, Map<String, String> headers, byte[] body, Instant signedAt) {
    }

    public Outgoing sign(@Body Delivery delivery) {
        Instant now = Instant.now();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        headers.put(ELEMENTS_WEBHOOK_ID, delivery.eventId());
        headers.put(WebhookSigner.WEBHOOK_ID, delivery.eventId());
        long timestamp = now.getEpochSecond();
        headers.put(WebhookSigner.WEBHOOK_TIMESTAMP, Long.toString(timestamp));
        if (delivery.signed()) {
            headers.putAll(WebhookSigner.signatureHeaders(delivery.body(), delivery.eventId(), timestamp,
                    delivery.signatureKey()));
        }
        return new Outgoing(delivery.endpointUrl(), headers, delivery.body().getBytes(StandardCharsets.UTF_8), now);
    }
}
