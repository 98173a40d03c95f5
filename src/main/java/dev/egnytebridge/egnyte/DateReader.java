package dev.egnytebridge.egnyte;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the dates of polled objects as a resource's {@link DatePattern} describes them, and writes the bridge's own
 * dates. Reading never throws: an absent or unreadable date is null, and the caller decides what that means.
 */
public final class DateReader {

    private DateReader() {
    }

    /**
     * The instant a JSON value holds. Epoch patterns take a number or a numeric string (fractions allowed). Text
     * patterns use the value's own offset when the pattern has one, else the pattern's zone (UTC by default); a
     * date-only pattern means the start of that day. Month and day names are read in English (RFC 1123 dates). When
     * the pattern does not match but the value is a complete ISO-8601 date-time with an offset, that is used, so a
     * pattern that differs only in fraction digits does not lose events.
     */
    public static Instant read(JsonNode value, DatePattern pattern) {
        if (pattern == null) {
            return null;
        }
        return read(JsonPaths.text(value), pattern);
    }

    /** As {@link #read(JsonNode, DatePattern)} for a value already taken as text. */
    public static Instant read(String text, DatePattern pattern) {
        if (text == null || pattern == null || text.isBlank()) {
            return null;
        }
        String value = text.trim();
        try {
            if (pattern.epochUnit() != null) {
                return epoch(value, pattern.epochUnit());
            }
            DateTimeFormatter formatter = pattern.formatter().withLocale(Locale.ENGLISH);
            Instant parsed = parse(value, formatter);
            return parsed != null ? parsed : isoFallback(value);
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            return isoFallback(value);
        }
    }

    private static Instant epoch(String value, DatePattern.EpochUnit unit) {
        BigDecimal number = new BigDecimal(value);
        BigDecimal millis = unit == DatePattern.EpochUnit.SECONDS ? number.movePointRight(3) : number;
        return Instant.ofEpochMilli(millis.longValue());
    }

    private static Instant parse(String value, DateTimeFormatter formatter) {
        TemporalAccessor parsed = formatter.parse(value);
        if (parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
            return Instant.from(parsed);
        }
        LocalDate date = parsed.query(TemporalQueries.localDate());
        if (date == null) {
            return null;
        }
        LocalTime time = parsed.query(TemporalQueries.localTime());
        ZoneId zone = parsed.query(TemporalQueries.zone());
        if (zone == null) {
            zone = formatter.getZone() != null ? formatter.getZone() : ZoneOffset.UTC;
        }
        return date.atTime(time == null ? LocalTime.MIDNIGHT : time).atZone(zone).toInstant();
    }

    private static Instant isoFallback(String value) {
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value, Instant::from);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** ISO-8601 in UTC with a Z, milliseconds only when not zero (2025-05-28T11:41:12Z); null for null. */
    public static String iso(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
