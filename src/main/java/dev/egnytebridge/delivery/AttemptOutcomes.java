package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes a batch of attempts and moves each delivery on: DELIVERED on 2xx; GONE on 410 (and its callback URL is
 * disabled); back to waiting, with the same attempt number, when the endpoint throttled; RETRYING at the next time
 * of the retry schedule after any other failure; FAILED after the last attempt. A delivery is only moved while the
 * lease of this attempt still holds: if the delivery was ended or replayed meanwhile, the attempt is kept in its
 * history and nothing else changes.
 */
class AttemptOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptOutcomes.class);
    static final int MAX_ERROR_LENGTH = 1000;

    record Recorded(Delivery delivery, AttemptOutcome outcome) {
    }

    private final JdbcTemplate jdbc;
    private final RetrySchedule schedule;
    private final CircuitSettings circuit;

    AttemptOutcomes(JdbcTemplate jdbc, RetrySchedule schedule, CircuitSettings circuit) {
        this.jdbc = jdbc;
        this.schedule = schedule;
        this.circuit = circuit;
    }

    /** Stores the attempts and the deliveries' new states; returns each delivery's new status, in order. */
    List<DeliveryStatus> write(List<Recorded> batch, BatchEffects effects) {
        jdbc.batchUpdate("INSERT INTO delivery_attempt (delivery_id, attempted_at, http_status, error, duration_ms) "
                        + "VALUES (?, ?, ?, ?, ?)",
                batch.stream().map(r -> new Object[] {r.delivery().id(), Timestamp.from(r.outcome().attemptedAt()),
                        r.outcome().httpStatus(), truncate(r.outcome().error()), r.outcome().durationMs()}).toList());
        Instant now = Instant.now();
        Timestamp nowTs = Timestamp.from(now);
        List<DeliveryStatus> statuses = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        for (Recorded r : batch) {
            Delivery d = r.delivery();
            AttemptOutcome o = r.outcome();
            // the outcome's log line carries the instance in the logging context
            MDC.put("instanceId", String.valueOf(d.instanceId()));
            DeliveryStatus status;
            int attempts = d.attempt();
            Instant next = now;
            if (o.delivered()) {
                status = DeliveryStatus.DELIVERED;
            } else if (o.gone()) {
                status = DeliveryStatus.GONE;
            } else if (o.throttled()) {
                // the endpoint asked for time: not a failure of this delivery, its retries are not used up
                status = DeliveryStatus.RETRYING;
                attempts = d.attempt() - 1;
                next = now.plus(circuit.throttleFor(o.retryAfter()));
                effects.due(next);
                LOG.info("Endpoint {} asked to slow down ({}): event {} waits {} s", d.origin(), o.describe(),
                        d.eventId(), Duration.between(now, next).toSeconds());
            } else {
                Optional<Duration> delay = schedule.delayAfter(d.attempt());
                if (delay.isPresent()) {
                    status = DeliveryStatus.RETRYING;
                    next = now.plus(delay.get());
                    effects.due(next);
                    LOG.info("Delivery of event {} to {} failed on attempt {} ({}); next attempt in {} ms",
                            d.eventId(), Delivery.loggableUrl(d.endpointUrl()), d.attempt(), o.describe(),
                            delay.get().toMillis());
                } else {
                    status = DeliveryStatus.FAILED;
                    LOG.warn("Delivery of event {} to {} failed on its last attempt {} ({}): dead letter",
                            d.eventId(), Delivery.loggableUrl(d.endpointUrl()), d.attempt(), o.describe());
                }
            }
            MDC.remove("instanceId");
            statuses.add(status);
            updates.add(new Object[] {status.name(), attempts, Timestamp.from(next), o.httpStatus(),
                    truncate(o.error()), nowTs, d.id(), d.leaseToken()});
        }
        jdbc.batchUpdate("UPDATE delivery SET status = ?, attempts = ?, next_attempt_at = ?, lease_until = NULL, "
                + "lease_token = NULL, last_http_status = ?, last_error = ?, updated_at = ? WHERE id = ? AND lease_token = ?",
                updates);
        return statuses;
    }

    static String truncate(String s) {
        return s == null || s.length() <= MAX_ERROR_LENGTH ? s : s.substring(0, MAX_ERROR_LENGTH);
    }
}
