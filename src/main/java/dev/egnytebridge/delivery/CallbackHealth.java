package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;

import static dev.egnytebridge.store.SqlTimes.instant;

/**
 * How each callback URL of an instance is doing, as {@code GET /instances/{id}} shows it, and re-enabling disabled
 * ones. Reads what the delivery engine writes: {@code callback_target} (per instance and URL: failing, disabled),
 * {@code delivery_endpoint} (per origin: circuit and throttling, shared by every instance calling that origin) and the
 * open deliveries. A few queries per call, whatever the number of URLs or instances.
 */
public class CallbackHealth {

    /** The state of one callback URL; precedence: disabled, then circuit open, then throttled, else healthy. */
    public enum State {
        HEALTHY, CIRCUIT_OPEN, THROTTLED, DISABLED;

        /** As the API shows it: {@code healthy}, {@code circuit_open}, {@code throttled}, {@code disabled}. */
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One callback URL of an instance. {@code failingSince} and {@code lastError} are the URL's own when the engine
     * recorded any, else its endpoint's (the origin's: its circuit and throttling concern every URL there).
     * {@code pending} counts its PENDING and RETRYING deliveries (held ones of a disabled URL included).
     */
    public record CallbackState(String url, State state, Instant failingSince, String lastError, long pending,
                                String disabledReason, Instant disabledAt, Instant circuitOpenUntil,
                                Instant throttledUntil) {
    }

    /** What enabling did: URLs that were disabled and are not any more, and held deliveries made due now. */
    public record Enabled(List<String> urls, int released) {
    }

    /** Ids or origins per IN list: far below any database's limit on parameters. */
    private static final int CHUNK = 500;
    /** A URL in a text, and its query string (group 1: up to the question mark). */
    private static final Pattern URL_QUERY = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^\\s?#\"']*)\\?[^\\s#\"']*");

    private final JdbcTemplate jdbc;

    public CallbackHealth(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The state of each of {@code urls} (the instance's callback URLs, in their order). */
    public List<CallbackState> of(long instanceId, List<String> urls) {
        return of(Map.of(instanceId, urls), Instant.now()).getOrDefault(instanceId, List.of());
    }

    /** The state of the callback URLs of several instances (instance id to its URLs), by instance id. */
    public Map<Long, List<CallbackState>> of(Map<Long, List<String>> urlsByInstance, Instant now) {
        Map<Long, List<CallbackState>> result = new LinkedHashMap<>();
        List<Long> ids = urlsByInstance.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        if (ids.isEmpty()) {
            urlsByInstance.keySet().forEach(id -> result.put(id, List.of()));
            return result;
        }
        Map<String, Target> targets = new HashMap<>();
        Map<String, Long> pending = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            Object[] chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK)).toArray();
            String idMarks = marks(chunk.length);
            jdbc.query("SELECT instance_id, url, failing_since, last_error, disabled_at, disabled_reason FROM callback_target "
                            + "WHERE instance_id IN (" + idMarks + ")",
                    rs -> {
                        targets.put(key(rs.getLong(1), rs.getString(2)), new Target(instant(rs.getTimestamp(3)),
                                rs.getString(4), instant(rs.getTimestamp(5)), rs.getString(6)));
                    }, chunk);
            jdbc.query("SELECT instance_id, endpoint_url, COUNT(*) FROM delivery WHERE instance_id IN (" + idMarks + ") "
                            + "AND status IN ('PENDING', 'RETRYING') GROUP BY instance_id, endpoint_url",
                    rs -> {
                        pending.put(key(rs.getLong(1), rs.getString(2)), rs.getLong(3));
                    }, chunk);
        }
        Set<String> origins = new LinkedHashSet<>();
        urlsByInstance.values().forEach(urls -> urls.forEach(url -> {
            String origin = origin(url);
            if (origin != null) {
                origins.add(origin);
            }
        }));
        Map<String, Endpoint> endpoints = new HashMap<>();
        List<String> originList = new ArrayList<>(origins);
        for (int from = 0; from < originList.size(); from += CHUNK) {
            Object[] chunk = originList.subList(from, Math.min(originList.size(), from + CHUNK)).toArray();
            jdbc.query("SELECT origin, open_until, throttled_until, failing_since, last_error FROM delivery_endpoint "
                            + "WHERE origin IN (" + marks(chunk.length) + ")",
                    rs -> {
                        endpoints.put(rs.getString(1), new Endpoint(instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3)),
                                instant(rs.getTimestamp(4)), rs.getString(5)));
                    }, chunk);
        }
        urlsByInstance.forEach((id, urls) -> {
            List<CallbackState> states = new ArrayList<>(urls.size());
            for (String url : urls) {
                Target target = targets.get(key(id, url));
                Endpoint endpoint = endpoints.get(origin(url));
                states.add(state(url, target, endpoint, pending.getOrDefault(key(id, url), 0L), now));
            }
            result.put(id, Collections.unmodifiableList(states));
        });
        return result;
    }

    /**
     * Enables those of {@code urls} that are disabled for the instance: clears their disabled and failing columns, and
     * makes their held (PENDING) deliveries due now.
     */
    public Enabled enable(long instanceId, Collection<String> urls) {
        Timestamp now = Timestamp.from(Instant.now());
        List<String> enabled = new ArrayList<>();
        int released = 0;
        for (String url : new LinkedHashSet<>(urls)) {
            int updated = jdbc.update("UPDATE callback_target SET disabled_at = NULL, disabled_reason = NULL, "
                    + "failing_since = NULL, last_error = NULL, updated_at = ? "
                    + "WHERE instance_id = ? AND url = ? AND disabled_at IS NOT NULL", now, instanceId, url);
            if (updated > 0) {
                enabled.add(url);
                released += jdbc.update("UPDATE delivery SET next_attempt_at = ?, lease_until = NULL, updated_at = ? "
                        + "WHERE instance_id = ? AND endpoint_url = ? AND status = 'PENDING'", now, now, instanceId, url);
            }
        }
        return new Enabled(enabled, released);
    }

    /** The instance's URLs that are disabled now. */
    public List<String> disabled(long instanceId) {
        return jdbc.queryForList("SELECT url FROM callback_target WHERE instance_id = ? AND disabled_at IS NOT NULL "
                + "ORDER BY url", String.class, instanceId);
    }

    static CallbackState state(String url, Target target, Endpoint endpoint, long pending, Instant now) {
        Instant openUntil = endpoint == null ? null : endpoint.openUntil;
        Instant throttledUntil = endpoint == null ? null : endpoint.throttledUntil;
        boolean open = openUntil != null && openUntil.isAfter(now);
        boolean throttled = throttledUntil != null && throttledUntil.isAfter(now);
        State state = target != null && target.disabledAt != null ? State.DISABLED
                : open ? State.CIRCUIT_OPEN
                : throttled ? State.THROTTLED
                : State.HEALTHY;
        Instant failingSince = target != null && target.failingSince != null ? target.failingSince
                : endpoint == null ? null : endpoint.failingSince;
        String lastError = target != null && target.lastError != null ? target.lastError
                : endpoint == null ? null : endpoint.lastError;
        return new CallbackState(url, state, failingSince, withoutQueries(lastError), pending,
                target == null ? null : target.disabledReason, target == null ? null : target.disabledAt,
                open ? openUntil : null, throttled ? throttledUntil : null);
    }

    /**
     * An error as shown, with the query string of any URL in it cut off: an endpoint's error is shown to every
     * instance calling that endpoint, and another instance's URL may carry a credential in its query.
     */
    static String withoutQueries(String error) {
        return error == null ? null : URL_QUERY.matcher(error).replaceAll("$1?...");
    }

    /**
     * The endpoint (origin) of a callback URL: {@code scheme://host[:port]}, as the delivery engine keys
     * {@code delivery.origin} and {@code delivery_endpoint}; null for what is not an http(s) URL.
     */
    static String origin(String url) {
        try {
            return EndpointOrigin.of(url);
        } catch (IllegalArgumentException notHttp) {
            return null;
        }
    }

    private static String key(long instanceId, String url) {
        return instanceId + " " + url;
    }

    private static String marks(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }


    record Target(Instant failingSince, String lastError, Instant disabledAt, String disabledReason) {
    }

    record Endpoint(Instant openUntil, Instant throttledUntil, Instant failingSince, String lastError) {
    }
}
