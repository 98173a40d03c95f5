package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The durable outbox: notifications and one delivery per callback URL, written in the poller's transaction (the
 * JdbcTemplate joins it), then claimed, attempted and settled by the dispatcher. A claim is a lease: a node that dies
 * mid-attempt leaves a lease that runs out, and the delivery is attempted again with the same event id.
 */
public class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final int MAX_ERROR_LENGTH = 1000;

    private final JdbcTemplate jdbc;
    private final InstanceStore instances;
    private final RetrySchedule schedule;
    private final Duration lease;

    public Outbox(JdbcTemplate jdbc, InstanceStore instances, RetrySchedule schedule, Duration lease) {
        this.jdbc = jdbc;
        this.instances = instances;
        this.schedule = schedule;
        this.lease = lease;
    }

    public RetrySchedule schedule() {
        return schedule;
    }

    /** Stores the notification and one PENDING delivery per callback URL, due now, in the caller's transaction. */
    public void enqueue(Notification notification, List<String> callbackUrls) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("INSERT INTO notification (event_id, instance_id, resource, object_count, body, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                notification.eventId(), notification.instanceId(), notification.resource(), notification.objectCount(),
                notification.body(), now);
        for (String url : callbackUrls.stream().distinct().toList()) {
            jdbc.update("INSERT INTO delivery (event_id, instance_id, endpoint_url, status, attempts, next_attempt_at, "
                            + "updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
                    notification.eventId(), notification.instanceId(), url, DeliveryStatus.PENDING.name(), now, now);
        }
    }

    /**
     * Claims up to {@code limit} deliveries that are due and not leased by anyone, and leases them. Each row is taken
     * by a conditional update, so two dispatchers (threads or nodes) never both claim one.
     */
    public List<Delivery> claimDue(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        Instant now = Instant.now();
        Timestamp nowTs = Timestamp.from(now);
        List<Candidate> candidates = jdbc.query("SELECT d.id, d.event_id, d.instance_id, d.endpoint_url, d.attempts "
                        + "FROM delivery d WHERE d.status IN ('PENDING', 'RETRYING') AND d.next_attempt_at <= ? "
                        + "AND (d.lease_until IS NULL OR d.lease_until < ?) ORDER BY d.next_attempt_at, d.id "
                        + "FETCH FIRST " + limit + " ROWS ONLY",
                (rs, row) -> new Candidate(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getInt(5)),
                nowTs, nowTs);
        Timestamp leaseUntil = Timestamp.from(now.plus(lease));
        Map<Long, Optional<Instance>> instanceCache = new HashMap<>();
        List<Delivery> claimed = new ArrayList<>();
        for (Candidate c : candidates) {
            int updated = jdbc.update("UPDATE delivery SET lease_until = ? WHERE id = ? AND status IN ('PENDING', 'RETRYING') "
                    + "AND (lease_until IS NULL OR lease_until < ?)", leaseUntil, c.id, nowTs);
            if (updated != 1) {
                continue; // another dispatcher took it
            }
            Optional<Instance> instance = instanceCache.computeIfAbsent(c.instanceId, instances::find);
            if (instance.isEmpty()) {
                // the instance was deleted since (its notifications go with it): nothing to sign or send for
                settle(c.id, DeliveryStatus.FAILED, c.attempts, now, null, "instance deleted");
                continue;
            }
            List<String> body = jdbc.queryForList("SELECT body FROM notification WHERE event_id = ?", String.class, c.eventId);
            if (body.isEmpty()) {
                continue; // deleted with its instance since the select
            }
            String key = instance.get().secrets() == null ? null : instance.get().secrets().signatureKey();
            claimed.add(new Delivery(c.id, c.eventId, c.instanceId, c.endpointUrl, c.attempts + 1, body.get(0), key));
        }
        return claimed;
    }

    /**
     * Records an attempt and moves the delivery on: DELIVERED on 2xx, GONE on 410, RETRYING at the next time of the
     * retry schedule (or the endpoint's Retry-After on 429/503 when that is later), FAILED after the last attempt.
     */
    public DeliveryStatus recordOutcome(Delivery delivery, AttemptOutcome outcome) {
        jdbc.update("INSERT INTO delivery_attempt (delivery_id, attempted_at, http_status, error, duration_ms) "
                        + "VALUES (?, ?, ?, ?, ?)",
                delivery.id(), Timestamp.from(outcome.attemptedAt()), outcome.httpStatus(),
                truncate(outcome.error()), outcome.durationMs());
        Instant now = Instant.now();
        DeliveryStatus status;
        Instant next = now;
        if (outcome.delivered()) {
            status = DeliveryStatus.DELIVERED;
        } else if (outcome.gone()) {
            status = DeliveryStatus.GONE;
            LOG.warn("Endpoint {} answered 410 Gone for event {} of instance {}: not delivering it there again",
                    Delivery.loggableUrl(delivery.endpointUrl()), delivery.eventId(), delivery.instanceId());
        } else {
            Optional<Duration> delay = schedule.delayAfter(delivery.attempt());
            if (delay.isPresent()) {
                status = DeliveryStatus.RETRYING;
                Duration wait = delay.get();
                if (outcome.asksToSlowDown() && outcome.retryAfter() != null && outcome.retryAfter().compareTo(wait) > 0) {
                    wait = min(outcome.retryAfter(), maxRetryAfter());
                }
                next = now.plus(wait);
                LOG.info("Delivery of event {} to {} failed on attempt {} ({}); next attempt in {} ms",
                        delivery.eventId(), Delivery.loggableUrl(delivery.endpointUrl()), delivery.attempt(), describe(outcome), wait.toMillis());
            } else {
                status = DeliveryStatus.FAILED;
                LOG.warn("Delivery of event {} to {} failed on its last attempt {} ({}): dead letter",
                        delivery.eventId(), Delivery.loggableUrl(delivery.endpointUrl()), delivery.attempt(), describe(outcome));
            }
        }
        settle(delivery.id(), status, delivery.attempt(), next, outcome.httpStatus(), outcome.error());
        return status;
    }

    private void settle(long id, DeliveryStatus status, int attempts, Instant next, Integer httpStatus, String error) {
        jdbc.update("UPDATE delivery SET status = ?, attempts = ?, next_attempt_at = ?, lease_until = NULL, "
                        + "last_http_status = ?, last_error = ?, updated_at = ? WHERE id = ?",
                status.name(), attempts, Timestamp.from(next), httpStatus, truncate(error), Timestamp.from(Instant.now()), id);
    }

    /** Retry-After is honoured up to a day, or the schedule's longest delay if that is longer. */
    private Duration maxRetryAfter() {
        Duration day = Duration.ofDays(1);
        return schedule.longestDelay().compareTo(day) > 0 ? schedule.longestDelay() : day;
    }

    private static String describe(AttemptOutcome outcome) {
        return outcome.httpStatus() != null ? "HTTP " + outcome.httpStatus() : outcome.error();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_ERROR_LENGTH ? s : s.substring(0, MAX_ERROR_LENGTH);
    }

    private record Candidate(long id, String eventId, long instanceId, String endpointUrl, int attempts) {
    }
}
