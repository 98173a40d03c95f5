package dev.egnytebridge.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import dev.egnytebridge.observe.BridgeMetrics;
import org.apache.camel.Exchange;
import org.slf4j.MDC;

/**
 * Reads what the endpoint answered (or the error that stopped the request) off the exchange and records it in the
 * outbox. Error texts say what went wrong without the URL's query or any header, which may carry secrets.
 */
public class AttemptRecorder {

    private final Outbox outbox;

    public AttemptRecorder(Outbox outbox) {
        this.outbox = outbox;
    }

    public DeliveryStatus record(Exchange exchange) {
        Delivery delivery = exchange.getProperty(WebhookRequest.DELIVERY, Delivery.class);
        if (delivery == null) {
            throw new IllegalStateException("No delivery on the exchange: prepare-signed-request must run first");
        }
        Instant started = exchange.getProperty(WebhookRequest.STARTED_AT, Instant.class);
        if (started == null) {
            started = Instant.now();
        }
        long durationMs = Duration.between(started, Instant.now()).toMillis();
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        AttemptOutcome outcome;
        if (failure != null) {
            outcome = AttemptOutcome.error(started, describe(failure, delivery.endpointUrl()), durationMs);
        } else {
            Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            if (status == null) {
                outcome = AttemptOutcome.error(started, "No HTTP response", durationMs);
            } else {
                outcome = AttemptOutcome.response(started, status, durationMs,
                        retryAfter(exchange.getMessage().getHeader("Retry-After", String.class), Instant.now()));
            }
        }
        // the outcome's log line (retry, dead letter, gone) carries the instance in the logging context
        MDC.put("instanceId", String.valueOf(delivery.instanceId()));
        try {
            DeliveryStatus status = outbox.recordOutcome(delivery, outcome);
            BridgeMetrics.of(exchange).deliveryAttempt(delivery.instanceId(), status.name(), durationMs, delivery.body());
            return status;
        } finally {
            MDC.remove("instanceId");
        }
    }

    /** The error's type and message, with the callback URL shown without its query. */
    static String describe(Throwable failure, String endpointUrl) {
        String message = failure.getMessage();
        String text = failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        if (endpointUrl != null) {
            text = text.replace(endpointUrl, Delivery.loggableUrl(endpointUrl));
            int query = endpointUrl.indexOf('?');
            if (query >= 0) {
                text = text.replace(endpointUrl.substring(query), "");
            }
        }
        return text;
    }

    /** Retry-After as delay seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
