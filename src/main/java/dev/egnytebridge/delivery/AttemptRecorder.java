package dev.egnytebridge.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * Route steps {@code record-attempt-outcome} and {@code describe-failed-attempt}: hand an attempt's outcome to the
 * {@link AttemptLog}. Error texts say what went wrong without the URL's query or any header, which may carry secrets.
 */
public class AttemptRecorder {

    private final AttemptLog log;

    public AttemptRecorder(AttemptLog log) {
        this.log = log;
    }

    public void record(@ExchangeProperty(WebhookRequest.DELIVERY) Delivery delivery, @Body AttemptOutcome outcome) {
        log.add(delivery, outcome);
    }

    /** The outcome of an attempt that failed before any request went out (a key that cannot sign, say). */
    public AttemptOutcome failed(@ExchangeProperty(WebhookRequest.DELIVERY) Delivery delivery,
                                 @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        return AttemptOutcome.error(Instant.now(), describe(failure, delivery.endpointUrl()), 0);
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
