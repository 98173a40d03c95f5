package dev.egnytebridge.delivery;

import java.time.Duration;

/**
 * When an endpoint counts as down and for how long it is left alone: {@code failures} down-attempts in a row open its
 * circuit for {@code openFor}, doubled after each failed probe up to {@code maxOpenFor}; a Retry-After holds it back
 * for at most {@code maxThrottle}; a callback URL failing for {@code disableAfter} is disabled.
 */
public record CircuitSettings(int failures, Duration openFor, Duration maxOpenFor, Duration maxThrottle,
                              Duration disableAfter) {

    public CircuitSettings {
        if (failures < 1) {
            throw new IllegalArgumentException("Property bridge.delivery.circuit.failures must be at least 1");
        }
        if (openFor.isNegative() || openFor.isZero() || maxOpenFor.compareTo(openFor) < 0) {
            throw new IllegalArgumentException("Property bridge.delivery.circuit.open-seconds must be positive and at most "
                    + "bridge.delivery.circuit.max-open-seconds");
        }
    }

    /** How long the circuit stays open after a failed probe that followed an opening of {@code last}. */
    Duration nextOpening(Duration last) {
        if (last == null) {
            return openFor;
        }
        Duration doubled = last.multipliedBy(2);
        return doubled.compareTo(maxOpenFor) > 0 ? maxOpenFor : doubled;
    }

    /** An endpoint's Retry-After, capped. */
    Duration throttleFor(Duration retryAfter) {
        return retryAfter.compareTo(maxThrottle) > 0 ? maxThrottle : retryAfter;
    }
}
