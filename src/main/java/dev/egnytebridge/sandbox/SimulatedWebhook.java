package dev.egnytebridge.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One native webhook registration held by the {@link EgnyteSimulator}, as a snapshot: immutable, so tests can assert
 * on it and the simulator can swap registrations atomically.
 *
 * @param webhookId       the id Egnyte assigned (a UUID)
 * @param url             where events are pushed
 * @param eventTypes      the registered event types ({@code fs:*}, {@code fs:add_file}, ...); empty = all
 * @param paths           the registered folders, normalized; empty = the whole domain
 * @param authHeader      the registered {@code authHeader}, or null
 * @param authHeaderValue the registered {@code authHeaderValue}, or null
 * @param createdAt       when it was first registered (simulator clock)
 * @param expires         when it stops pushing unless renewed by a PUT (simulator clock)
 * @param status          {@link #ENABLED} or {@link #DISABLED}
 * @param failures        permanent push failures in a row (reset by a delivered push or by enabling)
 */
public record SimulatedWebhook(String webhookId, String url, List<String> eventTypes, List<String> paths,
                               String authHeader, String authHeaderValue, Instant createdAt, Instant expires,
                               String status, int failures) {

    public static final String ENABLED = "enabled";
    public static final String DISABLED = "disabled";
    /** The header the one-string reading sends: Egnyte's help desk says {@code Authentication: <authHeader>}. */
    public static final String ONE_STRING_HEADER = "Authentication";

    public SimulatedWebhook {
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(url, "url");
        eventTypes = List.copyOf(eventTypes);
        paths = List.copyOf(paths);
    }

    public boolean enabled() {
        return ENABLED.equals(status);
    }

    /** Expired registrations are gone: they push nothing and the API answers 404 for them. */
    public boolean expiredAt(Instant now) {
        return !expires.isAfter(now);
    }

    /**
     * The header pushes carry (name and value), empty when none was registered. With both {@code authHeader} and
     * {@code authHeaderValue} (the open SDK's reading) it is {@code authHeader: authHeaderValue}; with only
     * {@code authHeader} (the API reference's one string) it is {@code Authentication: authHeader}, as the help desk
     * describes.
     */
    public Optional<Map.Entry<String, String>> pushHeader() {
        if (authHeader == null || authHeader.isBlank()) {
            return Optional.empty();
        }
        if (authHeaderValue != null && !authHeaderValue.isBlank()) {
            return Optional.of(Map.entry(authHeader, authHeaderValue));
        }
        return Optional.of(Map.entry(ONE_STRING_HEADER, authHeader));
    }

    /** Whether an event of this Egnyte event type at this target path is pushed to this registration. */
    public boolean matches(String eventType, String targetPath) {
        return matchesType(eventType) && matchesPath(targetPath);
    }

    private boolean matchesType(String eventType) {
        if (eventTypes.isEmpty()) {
            return true;
        }
        for (String wanted : eventTypes) {
            if (wanted.equals(eventType) || wanted.equals("*")
                    || wanted.endsWith(":*") && eventType.startsWith(wanted.substring(0, wanted.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesPath(String targetPath) {
        if (paths.isEmpty()) {
            return true;
        }
        for (String folder : paths) {
            if (folder.equals("/") || targetPath.equals(folder) || targetPath.startsWith(folder + "/")) {
                return true;
            }
        }
        return false;
    }

    SimulatedWebhook withStatus(String newStatus, int newFailures) {
        return new SimulatedWebhook(webhookId, url, eventTypes, paths, authHeader, authHeaderValue, createdAt, expires,
                newStatus, newFailures);
    }

    SimulatedWebhook withExpires(Instant newExpires) {
        return new SimulatedWebhook(webhookId, url, eventTypes, paths, authHeader, authHeaderValue, createdAt,
                newExpires, status, failures);
    }
}
