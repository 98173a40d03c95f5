package dev.egnytebridge.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Reads the query parameters of the REST API, answering a bad one as a 400 that names it. */
public final class QueryParameters {

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private QueryParameters() {
    }

    /** {@code value} as a whole number from {@code min} to {@code max}; {@code defaultValue} when absent or blank. */
    public static int wholeNumber(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badField(name, "must be a whole number from " + min + " to " + max);
    }

    /**
     * {@code value} as an instant: an ISO 8601 date and time with its offset ({@code 2026-12-01T04:00:00Z},
     * {@code 2026-12-01T06:00:00+02:00}) or a date ({@code 2026-12-01}, midnight UTC); {@code null} when absent or blank.
     */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        Instant instant;
        try {
            instant = text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badField(name, "must be an ISO 8601 date and time with its offset, such as "
                    + "2026-12-01T00:00:00Z or 2026-12-01T02:00:00+02:00, or a date such as 2026-12-01");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.badField(name, "must be a time between the years 1 and 9999");
        }
        return instant;
    }

    /**
     * {@code value} as a comma-separated list of some of {@code allowed} (any case, blanks around commas ignored), in
     * upper case; empty when absent or blank. An unknown entry, or an empty one, is a 400 naming the parameter.
     */
    public static Set<String> oneOrMoreOf(String name, String value, Set<String> allowed) {
        Set<String> chosen = new LinkedHashSet<>();
        if (value == null || value.isBlank()) {
            return chosen;
        }
        for (String part : value.split(",", -1)) {
            String entry = part.trim().toUpperCase(Locale.ROOT);
            if (!allowed.contains(entry)) {
                throw ApiException.badField(name, "must be one or more of " + String.join(", ", allowed)
                        + ", separated by commas");
            }
            chosen.add(entry);
        }
        return chosen;
    }
}
