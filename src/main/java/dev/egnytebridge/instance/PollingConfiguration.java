package dev.egnytebridge.instance;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.api.ApiException;
import dev.egnytebridge.egnyte.DatePattern;

/**
 * The polling part of an instance's configuration, read and checked: whether events are on, where notifications go,
 * how often to poll and what. Every problem is an {@link ApiException} naming the configuration key at fault.
 */
public record PollingConfiguration(boolean eventsEnabled, List<String> callbackUrls, Duration refreshInterval,
                                   Map<String, ResourceConfig> resources, boolean notifyGaps, boolean webhooks) {

    public static final String ENABLED = "event.notification.enabled";
    public static final String CALLBACK_URL = "event.notification.callback.url";
    public static final String SIGNATURE_KEY = "event.notification.signature.key";
    /** Whether the callbacks are also sent a notification each time events may have been lost at Egnyte (a gap). */
    public static final String NOTIFY_GAPS = "event.notification.gaps";
    public static final String REFRESH_INTERVAL = "event.poller.refresh_interval";
    public static final String POLLER_CONFIGURATION = "event.poller.configuration";
    /**
     * Cloud Elements' key: {@code polling} (the default) or {@code webhooks}, where Egnyte's native webhooks ring the
     * doorbell for a poll at once and the interval is the backstop (dev.egnytebridge.push).
     */
    public static final String VENDOR_TYPE = "event.vendor.type";
    public static final String POLLING = "polling";
    public static final String WEBHOOKS = "webhooks";
    /** Cloud Elements' default when no interval is given. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(15);

    public static PollingConfiguration from(ObjectNode configuration) {
        boolean enabled = bool(configuration.get(ENABLED), ENABLED);
        List<String> callbacks = callbackUrls(configuration.get(CALLBACK_URL));
        if (enabled && callbacks.isEmpty()) {
            throw ApiException.badField("configuration." + CALLBACK_URL,
                    "is required when " + ENABLED + " is true: one or more http(s) URLs, comma-separated");
        }
        Duration interval = interval(configuration.get(REFRESH_INTERVAL));
        Map<String, ResourceConfig> resources = resources(configuration.get(POLLER_CONFIGURATION));
        return new PollingConfiguration(enabled, callbacks, interval, resources,
                bool(configuration.get(NOTIFY_GAPS), NOTIFY_GAPS), webhooks(configuration.get(VENDOR_TYPE)));
    }

    private static boolean webhooks(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (node.isTextual() && (node.textValue().equals(POLLING) || node.textValue().equals(WEBHOOKS))) {
            return node.textValue().equals(WEBHOOKS);
        }
        throw ApiException.badField("configuration." + VENDOR_TYPE, "must be " + POLLING + " or " + WEBHOOKS);
    }

    /** The events feed resource, the one Egnyte's webhooks can ring for (its filters become theirs), or null. */
    public ResourceConfig eventsFeed() {
        return resources.values().stream().filter(ResourceConfig::isEventsFeed).findFirst().orElse(null);
    }

    private static boolean bool(JsonNode node, String key) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual() && (node.textValue().equalsIgnoreCase("true") || node.textValue().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(node.textValue());
        }
        throw ApiException.badField("configuration." + key, "must be true or false");
    }

    public static List<String> callbackUrls(JsonNode node) {
        List<String> urls = new ArrayList<>();
        if (node == null || node.isNull()) {
            return urls;
        }
        if (!node.isTextual()) {
            throw ApiException.badField("configuration." + CALLBACK_URL, "must be a string of http(s) URLs, comma-separated");
        }
        for (String part : node.textValue().split(",")) {
            String url = part.trim();
            if (url.isEmpty()) {
                continue;
            }
            try {
                URI uri = new URI(url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw ApiException.badField("configuration." + CALLBACK_URL, "'" + url + "' is not an http(s) URL");
                }
            } catch (URISyntaxException e) {
                throw ApiException.badField("configuration." + CALLBACK_URL, "'" + url + "' is not a valid URL");
            }
            if (!urls.contains(url)) {
                urls.add(url);
            }
        }
        return urls;
    }

    static Duration interval(JsonNode node) {
        if (node == null || node.isNull()) {
            return DEFAULT_INTERVAL;
        }
        double minutes;
        if (node.isNumber()) {
            minutes = node.doubleValue();
        } else if (node.isTextual()) {
            try {
                minutes = Double.parseDouble(node.textValue().trim());
            } catch (NumberFormatException e) {
                throw ApiException.badField("configuration." + REFRESH_INTERVAL, "must be a positive number of minutes");
            }
        } else {
            throw ApiException.badField("configuration." + REFRESH_INTERVAL, "must be a positive number of minutes");
        }
        if (!(minutes > 0) || Double.isInfinite(minutes) || minutes > 60 * 24 * 365) {
            throw ApiException.badField("configuration." + REFRESH_INTERVAL, "must be a positive number of minutes");
        }
        return Duration.ofMillis(Math.round(minutes * 60_000));
    }

    static Map<String, ResourceConfig> resources(JsonNode node) {
        Map<String, ResourceConfig> resources = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return resources;
        }
        String base = "configuration." + POLLER_CONFIGURATION;
        if (!node.isObject()) {
            throw ApiException.badField(base, "must be an object of resources");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            resources.put(e.getKey(), resource(base + "." + e.getKey(), e.getKey(), e.getValue()));
        }
        return resources;
    }

    private static ResourceConfig resource(String path, String key, JsonNode node) {
        if (key.isBlank() || key.length() > 100) {
            throw ApiException.badField(path, "a resource key must have 1 to 100 characters");
        }
        if (!node.isObject()) {
            throw ApiException.badField(path, "must be an object with url and idField");
        }
        String url = text(node, "url", path, true);
        if (!url.startsWith("/")) {
            throw ApiException.badField(path + ".url", "must be a path such as /hubs/documents/events or /pubapi/v1/...");
        }
        boolean events = ResourceConfig.pathOf(url).equals(ResourceConfig.EVENTS_URL);
        if (!events && !url.startsWith("/pubapi/")) {
            throw ApiException.badField(path + ".url", "must be " + ResourceConfig.EVENTS_URL + " or an Egnyte /pubapi/ path");
        }
        String idField = text(node, "idField", path, !events);
        if (idField == null) {
            idField = "event_object_id";
        }
        String itemsPath = text(node, "itemsPath", path, false);
        JsonNode dates = node.get("datesConfiguration");
        String dp = path + ".datesConfiguration";
        if (dates != null && !dates.isNull() && !dates.isObject()) {
            throw ApiException.badField(dp, "must be an object");
        }
        String updatedField = dates == null ? null : text(dates, "updatedDateField", dp, false);
        DatePattern updated = pattern(dates, "updatedDateFormat", "updatedDateTimezone", dp);
        String createdField = dates == null ? null : text(dates, "createdDateField", dp, false);
        DatePattern created = pattern(dates, "createdDateFormat", "createdDateTimezone", dp);
        boolean filterByUpdated = optionalBool(node, "filterByUpdatedDate", path, true);
        boolean filterByCurrent = optionalBool(node, "filterByCurrentDate", path, false);
        long tolerance = optionalLong(node, "createdCheckTolerance", path, 0, 0, 86_400);
        Integer pageSize = node.hasNonNull("pageSize") ? (int) optionalLong(node, "pageSize", path, 0, 1, 1000) : null;
        long pollDelay = optionalLong(node, "pollDelay", path, 0, 0, 86_400);
        return new ResourceConfig(key, url, idField, itemsPath, updatedField, updated, createdField, created,
                filterByUpdated, filterByCurrent, tolerance, pageSize, pollDelay);
    }

    private static DatePattern pattern(JsonNode dates, String formatKey, String zoneKey, String path) {
        if (dates == null || !dates.hasNonNull(formatKey)) {
            return null;
        }
        String format = text(dates, formatKey, path, true);
        String zone = text(dates, zoneKey, path, false);
        try {
            return DatePattern.compile(format, zone);
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().contains("time zone") ? zoneKey : formatKey;
            throw ApiException.badField(path + "." + field, e.getMessage());
        }
    }

    private static String text(JsonNode node, String key, String path, boolean required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.badField(path + "." + key, "is required");
            }
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw ApiException.badField(path + "." + key, "must be a non-empty string");
        }
        if (v.textValue().length() > 2000) {
            throw ApiException.badField(path + "." + key, "is too long (2000 characters at most)");
        }
        return v.textValue().trim();
    }

    private static boolean optionalBool(JsonNode node, String key, String path, boolean defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.textValue().equalsIgnoreCase("true") || v.textValue().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.textValue());
        }
        throw ApiException.badField(path + "." + key, "must be true or false");
    }

    private static long optionalLong(JsonNode node, String key, String path, long defaultValue, long min, long max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        long value;
        if (v.isIntegralNumber()) {
            value = v.longValue();
        } else if (v.isTextual() && v.textValue().trim().matches("-?\\d{1,12}")) {
            value = Long.parseLong(v.textValue().trim());
        } else {
            throw ApiException.badField(path + "." + key, "must be a whole number");
        }
        if (value < min || value > max) {
            throw ApiException.badField(path + "." + key, "must be between " + min + " and " + max);
        }
        return value;
    }
}
