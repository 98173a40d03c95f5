package dev.egnytebridge.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * Turns a claimed {@link Delivery} into the HTTP request the route POSTs: the stored body as bytes (so it goes out
 * exactly as stored and signed), the delivery headers and, when the instance has a key, the signatures. The target
 * URL travels in {@code CamelHttpUri} so its path and query reach the endpoint untouched; the route's dynamic
 * endpoint is only the URL's origin.
 */
public class WebhookRequest {

    /** Exchange property holding the {@link Delivery} being attempted. */
    public static final String DELIVERY = "delivery";
    /** Exchange property holding the {@link Instant} the attempt started. */
    public static final String STARTED_AT = "deliveryAttemptStartedAt";
    /** Exchange property holding the callback URL's origin ({@code scheme://host:port}), the toD target. */
    public static final String ORIGIN = "callbackOrigin";

    public static final String ELEMENTS_WEBHOOK_ID = "Elements-Webhook-Id";
    public static final String USER_AGENT = "EgnyteEventsBridge/1.0";

    public void prepare(Exchange exchange) throws InvalidPayloadException {
        Delivery delivery = exchange.getMessage().getMandatoryBody(Delivery.class);
        exchange.setProperty(DELIVERY, delivery);
        Instant now = Instant.now();
        exchange.setProperty(STARTED_AT, now);
        exchange.setProperty(ORIGIN, origin(delivery.endpointUrl()));

        Message message = exchange.getMessage();
        // only what we mean to send: nothing internal (Camel*, properties of earlier steps) reaches the endpoint
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_URI, delivery.endpointUrl());
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("User-Agent", USER_AGENT);
        message.setHeader(ELEMENTS_WEBHOOK_ID, delivery.eventId());
        message.setHeader(WebhookSigner.WEBHOOK_ID, delivery.eventId());
        long timestamp = now.getEpochSecond();
        message.setHeader(WebhookSigner.WEBHOOK_TIMESTAMP, Long.toString(timestamp));
        if (delivery.signed()) {
            WebhookSigner.signatureHeaders(delivery.body(), delivery.eventId(), timestamp, delivery.signatureKey())
                    .forEach(message::setHeader);
        }
        message.setBody(delivery.body().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code scheme://host[:port]} of an http(s) URL; anything else cannot be delivered to. */
    static String origin(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw new IllegalArgumentException("Callback URL is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("Callback URL must be an absolute http or https URL");
        }
        return scheme + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
