package dev.egnytebridge.egnyte;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills Cloud Elements' date placeholders in a polled resource's URL with the start of the poll's date window:
 * {@code ${gmtDate:FORMAT}} (formatted in GMT), {@code ${date:FORMAT}} (in the instance's zone), {@code ${epoch}} and
 * {@code ${milliseconds}} (epoch milliseconds, as Cloud Elements' ${epoch} is), {@code ${epoch:s}} (epoch seconds).
 * FORMAT is a Java date pattern and may hold quotes; formatted values are URL-encoded.
 */
public final class UrlPlaceholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final ZoneId GMT = ZoneId.of("GMT");
    private static final Instant SAMPLE = Instant.parse("2025-05-28T11:41:12.345Z");

    private UrlPlaceholders() {
    }

    /** The URL with every placeholder replaced; throws IllegalArgumentException on an unknown one or a bad format. */
    public static String fill(String url, Instant windowStart, ZoneId zone) {
        if (url == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(url);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1), windowStart, zone)));
        }
        m.appendTail(out);
        String filled = out.toString();
        if (filled.contains("${")) {
            throw new IllegalArgumentException("unclosed URL placeholder: a '${' has no matching '}'");
        }
        return filled;
    }

    /** Checks every placeholder of a URL (as instance creation must); throws IllegalArgumentException with the reason. */
    public static void validate(String url) {
        fill(url, SAMPLE, ZoneOffset.UTC);
    }

    /** Whether the URL holds any placeholder. */
    public static boolean hasPlaceholders(String url) {
        return url != null && url.contains("${");
    }

    private static String value(String placeholder, Instant start, ZoneId zone) {
        String name = placeholder.trim();
        switch (name) {
            case "epoch", "milliseconds", "epoch:ms" -> {
                return Long.toString(start.toEpochMilli());
            }
            case "epoch:s" -> {
                return Long.toString(start.getEpochSecond());
            }
            default -> {
                // fall through to the formatted placeholders
            }
        }
        int colon = placeholder.indexOf(':');
        String kind = colon < 0 ? name : placeholder.substring(0, colon).trim();
        if (colon > 0 && (kind.equals("gmtDate") || kind.equals("date"))) {
            String format = placeholder.substring(colon + 1);
            ZoneId target = kind.equals("gmtDate") ? GMT : (zone == null ? ZoneOffset.UTC : zone);
            DatePattern pattern;
            try {
                pattern = DatePattern.compile(format, null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("URL placeholder ${" + placeholder + "} has a bad date format: "
                        + e.getMessage());
            }
            if (pattern.formatter() == null) {
                throw new IllegalArgumentException("URL placeholder ${" + placeholder
                        + "} needs a date pattern; use ${epoch} or ${epoch:s} for epoch values");
            }
            String formatted;
            try {
                formatted = pattern.formatter().withLocale(Locale.ENGLISH).withZone(target).format(start);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("URL placeholder ${" + placeholder
                        + "} cannot format a date: " + e.getMessage());
            }
            return URLEncoder.encode(formatted, StandardCharsets.UTF_8).replace("+", "%20");
        }
        throw new IllegalArgumentException("unknown URL placeholder ${" + placeholder
                + "}; known: ${gmtDate:FORMAT}, ${date:FORMAT}, ${epoch}, ${epoch:s}, ${milliseconds}");
    }
}
