package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outbox side of dispatching: finds due deliveries, leases a batch of them with one UPDATE and reads it back
 * with one SELECT, and gives leases back. A lease is what keeps every other node (and this one) from sending a
 * delivery twice; a node that dies leaves leases that run out, and its deliveries are sent again, same event id.
 * Deliveries of an endpoint whose circuit is open or that asked to slow down, and of a disabled callback URL, are
 * never due here.
 */
public class DeliveryClaims {

    /** A due delivery, not yet leased; {@code circuitOpenedUntil} is set when its endpoint's circuit was opened. */
    public record Candidate(long id, String origin, Timestamp circuitOpenedUntil) {
    }

    private static final String WAITING = "d.status IN ('PENDING', 'RETRYING')";

    private final JdbcTemplate jdbc;
    private final InstanceStore instances;
    private final Duration lease;
    private final Duration probeHold;

    /**
     * @param probeHold how long a probe keeps its endpoint's circuit from letting another probe through (longer than
     *                  one attempt): only one node probes a dead endpoint at a time
     */
    public DeliveryClaims(JdbcTemplate jdbc, InstanceStore instances, Duration lease, Duration probeHold) {
        this.jdbc = jdbc;
        this.instances = instances;
        this.lease = lease;
        this.probeHold = probeHold;
    }

    /**
     * Due deliveries, oldest first, skipping the endpoints in {@code skipOrigins} (full on this node) and blocked ones.
     */
    public List<Candidate> due(Timestamp now, Collection<String> skipOrigins, int limit) {
        List<Object> args = new ArrayList<>(List.of(now, now, now, now));
        StringBuilder sql = new StringBuilder("SELECT d.id, d.origin, e.open_until FROM delivery d "
                + "LEFT JOIN delivery_endpoint e ON e.origin = d.origin WHERE " + WAITING
                + " AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)"
                + " AND (e.origin IS NULL OR ((e.open_until IS NULL OR e.open_until <= ?)"
                + " AND (e.throttled_until IS NULL OR e.throttled_until <= ?)))"
                + " AND NOT EXISTS (SELECT 1 FROM callback_target t WHERE t.instance_id = d.instance_id"
                + " AND t.url = d.endpoint_url AND t.disabled_at IS NOT NULL)");
        if (!skipOrigins.isEmpty()) {
            sql.append(" AND d.origin NOT IN (").append(String.join(",", Collections.nCopies(skipOrigins.size(), "?")))
                    .append(")");
            args.addAll(skipOrigins);
        }
        sql.append(" ORDER BY d.next_attempt_at, d.id FETCH FIRST ").append(limit).append(" ROWS ONLY");
        return jdbc.query(sql.toString(), (rs, n) -> new Candidate(rs.getLong(1), rs.getString(2), rs.getTimestamp(3)),
                args.toArray());
    }

    /**
     * Takes the one probe of an endpoint whose circuit was opened and whose wait is over: moves its {@code open_until}
     * past this attempt, so no other node probes meanwhile. True when this node got the probe.
     */
    public boolean takeProbe(String origin, Timestamp openedUntil) {
        return jdbc.update("UPDATE delivery_endpoint SET open_until = ? WHERE origin = ? AND open_until = ?",
                Timestamp.from(Instant.now().plus(probeHold)), origin, openedUntil) == 1;
    }

    /** Leases the given deliveries (those still free) and reads them back ready to send. */
    public List<Delivery> lease(List<Long> ids, Set<Long> probes) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Instant now = Instant.now();
        String token = UUID.randomUUID().toString();
        List<Object> args = new ArrayList<>(List.of(Timestamp.from(now.plus(lease)), token, Timestamp.from(now)));
        args.addAll(ids);
        jdbc.update("UPDATE delivery d SET lease_until = ?, lease_token = ? WHERE " + WAITING
                + " AND (d.lease_until IS NULL OR d.lease_until < ?) AND d.id IN ("
                + String.join(",", Collections.nCopies(ids.size(), "?")) + ")", args.toArray());
        Map<Long, Optional<String>> keys = new HashMap<>();
        // read back by primary key: what this claim got is what carries its token
        List<Object> readBack = new ArrayList<>(ids);
        readBack.add(token);
        return jdbc.query("SELECT d.id, d.event_id, d.instance_id, d.endpoint_url, d.origin, d.attempts, n.body, n.pushed_at, "
                        + "n.newest_event_at "
                        + "FROM delivery d JOIN notification n ON n.event_id = d.event_id WHERE d.id IN ("
                        + String.join(",", Collections.nCopies(ids.size(), "?")) + ") AND d.lease_token = ? "
                        + "ORDER BY d.next_attempt_at, d.id",
                (rs, n) -> {
                    long instanceId = rs.getLong(3);
                    String key = keys.computeIfAbsent(instanceId, this::signatureKey).orElse(null);
                    long id = rs.getLong(1);
                    return new Delivery(id, rs.getString(2), instanceId, rs.getString(4), rs.getString(5),
                            rs.getInt(6) + 1, rs.getString(7), key, token, probes.contains(id),
                            rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant(),
                            rs.getTimestamp(9) == null ? null : rs.getTimestamp(9).toInstant());
                }, readBack.toArray());
    }

    /**
     * When the next delivery falls due that nothing in this process will announce: a retry or a lease stored before a
     * restart, an endpoint's circuit or throttle running out. Read after a look found nothing due, so an idle
     * dispatcher sleeps exactly until then. {@code now} is the look's own time, so what that look found blocked is
     * seen here even if it came free in between. Ordered reads of one index row each (H2 scans for MIN).
     */
    public Optional<Instant> nextDue(Timestamp now) {
        List<Timestamp> times = new ArrayList<>();
        for (String status : List.of("PENDING", "RETRYING")) {
            times.addAll(jdbc.queryForList("SELECT next_attempt_at FROM delivery WHERE status = ? AND next_attempt_at > ? "
                    + "ORDER BY next_attempt_at FETCH FIRST 1 ROWS ONLY", Timestamp.class, status, now));
        }
        times.addAll(jdbc.queryForList("SELECT lease_until FROM delivery WHERE lease_until > ? "
                + "ORDER BY lease_until FETCH FIRST 1 ROWS ONLY", Timestamp.class, now));
        for (String column : List.of("open_until", "throttled_until")) {
            times.addAll(jdbc.queryForList("SELECT " + column + " FROM delivery_endpoint WHERE " + column + " > ? "
                    + "ORDER BY " + column + " FETCH FIRST 1 ROWS ONLY", Timestamp.class, now));
        }
        return times.stream().map(Timestamp::toInstant).min(Instant::compareTo);
    }

    /** Gives leases back without an attempt (the endpoint's circuit opened, or this node stops): due again at once. */
    public void release(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("UPDATE delivery SET lease_until = NULL, lease_token = NULL WHERE id = ? AND lease_token = ?",
                deliveries.stream().map(d -> new Object[] {d.id(), d.leaseToken()}).toList());
    }

    private Optional<String> signatureKey(long instanceId) {
        return instances.find(instanceId).map(Instance::secrets).map(s -> s.signatureKey());
    }
}
