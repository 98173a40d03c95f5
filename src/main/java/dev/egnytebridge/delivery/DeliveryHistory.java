package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The event history the REST API shows: each notification with its aggregate status, and per callback URL its status
 * and every attempt. Also replays: one notification, or everything that failed for an instance.
 */
public class DeliveryHistory {

    /** One notification and how its deliveries went. Dates are ISO-8601 UTC. */
    public record NotificationHistory(String eventId, long instanceId, String resource, String createdDate,
                                      int objectCount, String status, List<EndpointHistory> endpoints) {
    }

    /** One callback URL of a notification. {@code nextAttemptDate} is set while the delivery is PENDING or RETRYING. */
    public record EndpointHistory(String url, String status, int attemptCount, String nextAttemptDate,
                                  List<AttemptHistory> attempts) {
    }

    /** One attempt: the HTTP status the endpoint answered, or the error when it did not answer. */
    public record AttemptHistory(String date, Integer httpStatus, String error, long durationMs) {
    }

    private final JdbcTemplate jdbc;
    private final Runnable wakeDispatcher;

    /** {@code wakeDispatcher} is told when deliveries were made due, so they go at once. */
    public DeliveryHistory(JdbcTemplate jdbc, Runnable wakeDispatcher) {
        this.jdbc = jdbc;
        this.wakeDispatcher = wakeDispatcher;
    }

    private int requeued(int count) {
        if (count > 0) {
            wakeDispatcher.run();
        }
        return count;
    }

    /**
     * Which notifications a history shows: those whose aggregate status (see {@link #aggregate}) is one of
     * {@code statuses} (any when empty), stored at or after {@code since} and before {@code until} (either open when
     * null).
     */
    public record HistoryFilter(Set<String> statuses, Instant since, Instant until) {

        /** Every notification. */
        public static final HistoryFilter ALL = new HistoryFilter(Set.of(), null, null);

        public HistoryFilter {
            statuses = Set.copyOf(statuses);
        }

        /** The statuses a notification can have, as the history reports them. */
        public static final List<String> STATUSES = List.of(DeliveryStatus.PENDING.name(), DeliveryStatus.RETRYING.name(),
                DeliveryStatus.DELIVERED.name(), DeliveryStatus.FAILED.name());

        /** The SQL conditions on {@code notification n}, each starting with " AND ", adding their parameters. */
        String sql(List<Object> parameters) {
            StringBuilder sql = new StringBuilder();
            if (since != null) {
                sql.append(" AND n.created_at >= ?");
                parameters.add(Timestamp.from(since));
            }
            if (until != null) {
                sql.append(" AND n.created_at < ?");
                parameters.add(Timestamp.from(until));
            }
            if (!statuses.isEmpty()) {
                List<String> each = new ArrayList<>();
                // the same precedence as aggregate(): RETRYING, then PENDING, then FAILED (or GONE), else DELIVERED
                for (String status : STATUSES) {
                    if (statuses.contains(status)) {
                        each.add(switch (status) {
                            case "RETRYING" -> any("'RETRYING'");
                            case "PENDING" -> any("'PENDING'") + " AND NOT " + any("'RETRYING'");
                            case "FAILED" -> any("'FAILED', 'GONE'") + " AND NOT " + any("'RETRYING', 'PENDING'");
                            default -> "NOT " + any("'RETRYING', 'PENDING', 'FAILED', 'GONE'");
                        });
                    }
                }
                sql.append(" AND ((").append(String.join(") OR (", each)).append("))");
            }
            return sql.toString();
        }

        private static String any(String statuses) {
            return "EXISTS (SELECT 1 FROM delivery d WHERE d.event_id = n.event_id AND d.status IN (" + statuses + "))";
        }
    }

    /** An instance's notifications, newest first; {@code page} starts at 1. */
    public List<NotificationHistory> listForInstance(long instanceId, int page, int pageSize) {
        return listForInstance(instanceId, HistoryFilter.ALL, page, pageSize);
    }

    /** An instance's notifications that pass the filter, newest first; {@code page} starts at 1. */
    public List<NotificationHistory> listForInstance(long instanceId, HistoryFilter filter, int page, int pageSize) {
        return list("WHERE n.instance_id = ?", instanceId, filter, page, pageSize);
    }

    /** How many of an instance's notifications pass the filter. */
    public long countForInstance(long instanceId, HistoryFilter filter) {
        List<Object> parameters = new ArrayList<>();
        parameters.add(instanceId);
        String conditions = filter.sql(parameters);
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM notification n WHERE n.instance_id = ?" + conditions,
                Long.class, parameters.toArray());
        return count == null ? 0 : count;
    }

    /** The notifications of every instance of {@code owner}, newest first; {@code page} starts at 1. */
    public List<NotificationHistory> listForOwner(String owner, int page, int pageSize) {
        return list("WHERE n.instance_id IN (SELECT id FROM element_instance WHERE owner_user = ?)", owner,
                HistoryFilter.ALL, page, pageSize);
    }

    private List<NotificationHistory> list(String where, Object parameter, HistoryFilter filter, int page, int pageSize) {
        int size = Math.max(1, Math.min(pageSize, 500));
        long offset = (long) (Math.max(page, 1) - 1) * size;
        List<Object> parameters = new ArrayList<>();
        parameters.add(parameter);
        String conditions = filter.sql(parameters);
        List<Row> rows = jdbc.query("SELECT n.event_id, n.instance_id, n.resource, n.object_count, n.created_at "
                        + "FROM notification n " + where + conditions + " ORDER BY n.created_at DESC, n.event_id DESC "
                        + "OFFSET " + offset + " ROWS FETCH NEXT " + size + " ROWS ONLY",
                (rs, n) -> new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getTimestamp(5)),
                parameters.toArray());
        List<NotificationHistory> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            result.add(history(row));
        }
        return result;
    }

    public Optional<NotificationHistory> find(String eventId) {
        return jdbc.query("SELECT event_id, instance_id, resource, object_count, created_at FROM notification "
                                + "WHERE event_id = ?",
                        (rs, n) -> new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getTimestamp(5)),
                        eventId)
                .stream().findFirst().map(this::history);
    }

    /** Requeues the notification's FAILED and GONE deliveries, due now with a fresh retry schedule; returns how many. */
    public int retry(String eventId) {
        Timestamp now = Timestamp.from(Instant.now());
        return requeued(jdbc.update("UPDATE delivery SET status = 'PENDING', attempts = 0, next_attempt_at = ?, "
                + "lease_until = NULL, lease_token = NULL, updated_at = ? WHERE event_id = ? AND status IN ('FAILED', 'GONE')",
                now, now, eventId));
    }

    /**
     * Redelivers a notification now, to every endpoint it is not on its way to: FAILED, GONE and DELIVERED deliveries
     * (a replay) are requeued with a fresh retry schedule, and a RETRYING one not in flight is made due at once.
     * Returns how many deliveries were requeued or brought forward. Earlier attempts stay in the history.
     */
    public int replay(String eventId) {
        Timestamp now = Timestamp.from(Instant.now());
        int requeued = jdbc.update("UPDATE delivery SET status = 'PENDING', attempts = 0, next_attempt_at = ?, "
                + "lease_until = NULL, lease_token = NULL, updated_at = ? WHERE event_id = ? AND status IN ('FAILED', 'GONE', 'DELIVERED')",
                now, now, eventId);
        int broughtForward = jdbc.update("UPDATE delivery SET next_attempt_at = ?, updated_at = ? WHERE event_id = ? "
                + "AND status = 'RETRYING' AND next_attempt_at > ? AND (lease_until IS NULL OR lease_until < ?)",
                now, now, eventId, now, now);
        return requeued(requeued + broughtForward);
    }

    /** The stored body of each of these notifications that still exists, by event id. */
    public Map<String, String> bodies(List<String> eventIds) {
        Map<String, String> bodies = new LinkedHashMap<>();
        if (eventIds.isEmpty()) {
            return bodies;
        }
        String marks = String.join(",", java.util.Collections.nCopies(eventIds.size(), "?"));
        jdbc.query("SELECT event_id, body FROM notification WHERE event_id IN (" + marks + ")",
                rs -> {
                    bodies.put(rs.getString(1), rs.getString(2));
                }, eventIds.toArray());
        return bodies;
    }

    /** Requeues every FAILED and GONE delivery of an instance; returns how many. */
    public int retryFailed(long instanceId) {
        Timestamp now = Timestamp.from(Instant.now());
        return requeued(jdbc.update("UPDATE delivery SET status = 'PENDING', attempts = 0, next_attempt_at = ?, "
                + "lease_until = NULL, lease_token = NULL, updated_at = ? WHERE instance_id = ? AND status IN ('FAILED', 'GONE')",
                now, now, instanceId));
    }

    /**
     * One status for a notification: FAILED when a delivery failed or is gone and none is still going; otherwise
     * RETRYING or PENDING while any delivery still is; DELIVERED when all were delivered.
     */
    static String aggregate(List<String> statuses) {
        boolean retrying = statuses.contains(DeliveryStatus.RETRYING.name());
        boolean pending = statuses.contains(DeliveryStatus.PENDING.name());
        boolean failed = statuses.contains(DeliveryStatus.FAILED.name()) || statuses.contains(DeliveryStatus.GONE.name());
        if (retrying) {
            return DeliveryStatus.RETRYING.name();
        }
        if (pending) {
            return DeliveryStatus.PENDING.name();
        }
        return failed ? DeliveryStatus.FAILED.name() : DeliveryStatus.DELIVERED.name();
    }

    private NotificationHistory history(Row row) {
        Map<Long, List<AttemptHistory>> attempts = new LinkedHashMap<>();
        jdbc.query("SELECT a.delivery_id, a.attempted_at, a.http_status, a.error, a.duration_ms FROM delivery_attempt a "
                        + "JOIN delivery d ON d.id = a.delivery_id WHERE d.event_id = ? ORDER BY a.attempted_at, a.id",
                rs -> {
                    Integer status = rs.getObject(3) == null ? null : rs.getInt(3);
                    attempts.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new AttemptHistory(iso(rs.getTimestamp(2)), status, rs.getString(4), rs.getLong(5)));
                }, row.eventId);
        List<EndpointHistory> endpoints = jdbc.query("SELECT id, endpoint_url, status, attempts, next_attempt_at "
                        + "FROM delivery WHERE event_id = ? ORDER BY id",
                (rs, n) -> {
                    String status = rs.getString(3);
                    boolean open = !DeliveryStatus.valueOf(status).finished();
                    return new EndpointHistory(rs.getString(2), status, rs.getInt(4),
                            open ? iso(rs.getTimestamp(5)) : null, attempts.getOrDefault(rs.getLong(1), List.of()));
                }, row.eventId);
        String status = aggregate(endpoints.stream().map(EndpointHistory::status).toList());
        return new NotificationHistory(row.eventId, row.instanceId, row.resource, iso(row.createdAt), row.objectCount,
                status, endpoints);
    }

    private static String iso(Timestamp ts) {
        return ts == null ? null : ts.toInstant().toString();
    }

    private record Row(String eventId, long instanceId, String resource, int objectCount, Timestamp createdAt) {
    }
}
