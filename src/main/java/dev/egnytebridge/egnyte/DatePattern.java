package dev.egnytebridge.egnyte;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A date format of a polled resource's {@code datesConfiguration}: a Java date pattern, or {@code milliseconds} /
 * {@code seconds} for epoch values. A pattern whose quotes do not balance (the seed example ends in a stray {@code '})
 * is read as if the last quote were absent, since users copy that example.
 */
public record DatePattern(String pattern, DateTimeFormatter formatter, EpochUnit epochUnit) {

    public enum EpochUnit { MILLISECONDS, SECONDS }

    /** Compiles a pattern in a time zone (UTC when the zone is empty); throws IllegalArgumentException when invalid. */
    public static DatePattern compile(String pattern, String timezone) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("a date format is required");
        }
        String p = pattern.trim();
        if (p.equalsIgnoreCase("milliseconds") || p.equalsIgnoreCase("millis")) {
            return new DatePattern(p, null, EpochUnit.MILLISECONDS);
        }
        if (p.equalsIgnoreCase("seconds") || p.equalsIgnoreCase("epoch")) {
            return new DatePattern(p, null, EpochUnit.SECONDS);
        }
        String balanced = balanceQuotes(p);
        try {
            DateTimeFormatter f = DateTimeFormatter.ofPattern(balanced, Locale.ROOT).withZone(zone(timezone));
            return new DatePattern(balanced, f, null);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new IllegalArgumentException("'" + pattern + "' is not a valid date pattern: " + e.getMessage());
        }
    }

    /** Drops the last single quote when the quotes of a pattern are unbalanced ('' is an escaped quote). */
    static String balanceQuotes(String pattern) {
        int quotes = 0;
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) == '\'') {
                quotes++;
            }
        }
        if (quotes % 2 == 0) {
            return pattern;
        }
        int last = pattern.lastIndexOf('\'');
        return pattern.substring(0, last) + pattern.substring(last + 1);
    }

    public static ZoneId zone(String timezone) {
        if (timezone == null || timezone.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timezone.trim(), ZoneId.SHORT_IDS);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + timezone + "' is not a known time zone");
        }
    }
}
