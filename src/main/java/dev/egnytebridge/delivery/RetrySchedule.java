package dev.egnytebridge.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a failed delivery is tried again: the n-th delay of the schedule follows the n-th failed attempt, spread by
 * a random jitter so that many deliveries failing together do not all come back at the same instant. After the last
 * delay's attempt fails, the delivery is a dead letter.
 */
public final class RetrySchedule {

    public static final String DEFAULT = "5s,30s,2m,10m,30m,2h,6h,12h,24h";
    public static final double DEFAULT_JITTER = 0.2;

    private static final Pattern DELAY = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final List<Duration> delays;
    private final double jitter;

    public RetrySchedule(List<Duration> delays, double jitter) {
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("Retry jitter must be at least 0 and below 1, was " + jitter);
        }
        this.delays = List.copyOf(delays);
        this.jitter = jitter;
    }

    /** Parses a comma-separated list of delays such as {@code 5s,30s,2m,10m,2h,1d} (units ms, s, m, h, d). */
    public static RetrySchedule parse(String schedule, double jitter) {
        List<Duration> delays = new ArrayList<>();
        for (String part : schedule.split(",")) {
            String text = part.trim().toLowerCase();
            if (text.isEmpty()) {
                continue;
            }
            Matcher m = DELAY.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("Retry schedule entry '" + part.trim()
                        + "' is not a delay like 500ms, 5s, 2m, 6h or 1d");
            }
            long amount = Long.parseLong(m.group(1));
            delays.add(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        }
        return new RetrySchedule(delays, jitter);
    }

    /** Attempts a delivery gets in all: the first one and one per delay. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    public List<Duration> delays() {
        return delays;
    }

    /** The longest delay of the schedule: the most an endpoint's Retry-After can push the next attempt out. */
    public Duration longestDelay() {
        return delays.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /**
     * The delay before the attempt that follows failed attempt number {@code failedAttempt} (1 for the first), with
     * jitter; empty when that was the last attempt.
     */
    public Optional<Duration> delayAfter(int failedAttempt) {
        if (failedAttempt < 1 || failedAttempt > delays.size()) {
            return Optional.empty();
        }
        Duration base = delays.get(failedAttempt - 1);
        double factor = jitter == 0 ? 1 : 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
        return Optional.of(Duration.ofMillis(Math.round(base.toMillis() * factor)));
    }

    @Override
    public String toString() {
        return delays + " +/-" + Math.round(jitter * 100) + "%";
    }
}
