package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.egnytebridge.store.SqlTimes.instant;
import static dev.egnytebridge.store.SqlTimes.timestamp;

/**
 * Keeps each endpoint's circuit and throttle, and each callback URL's failing streak, from the outcomes of a batch
 * (shared by every node: the rows are locked while a batch changes them).
 * <ul>
 *   <li>Down (no answer, 5xx): counts; {@code failures} in a row open the circuit for {@code open-seconds}. A failed
 *       probe opens it again for twice as long, up to {@code max-open-seconds}.</li>
 *   <li>Any other answer but a throttle closes it: the endpoint is up. Its deliveries waiting behind the circuit are
 *       due at once, not each after its own retry timer.</li>
 *   <li>429/503 with Retry-After: the endpoint's deliveries wait that long; the circuit is left as it is.</li>
 *   <li>410: the callback URL is disabled at once; a URL failing for {@code disable-after} is disabled too. Its
 *       waiting deliveries end FAILED; later ones wait until it is enabled again.</li>
 * </ul>
 */
class EndpointStates {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointStates.class);
    static final String GONE_REASON = "endpoint gone";

    private static final class Endpoint {
        int failures;
        Instant openUntil;
        Duration openFor;
        Instant throttledUntil;
        Instant failingSince;
        String lastError;
        boolean wasOpen;
    }

    private final JdbcTemplate jdbc;
    private final CircuitSettings circuit;

    EndpointStates(JdbcTemplate jdbc, CircuitSettings circuit) {
        this.jdbc = jdbc;
        this.circuit = circuit;
    }

    /** Before the batch's transaction: rows for the endpoints and URLs that failed, so the batch can lock them. */
    void prepare(List<AttemptOutcomes.Recorded> batch) {
        Timestamp now = Timestamp.from(Instant.now());
        // each endpoint and URL once, however many of the batch's attempts failed there
        java.util.Set<String> origins = new java.util.LinkedHashSet<>();
        java.util.Set<BatchEffects.Callback> targets = new java.util.LinkedHashSet<>();
        for (AttemptOutcomes.Recorded r : batch) {
            if (!r.outcome().delivered()) {
                origins.add(r.delivery().origin());
                targets.add(new BatchEffects.Callback(r.delivery().instanceId(), r.delivery().endpointUrl()));
            }
        }
        for (String origin : origins) {
            insertIfAbsent("SELECT COUNT(*) FROM delivery_endpoint WHERE origin = ?",
                    "INSERT INTO delivery_endpoint (origin, consecutive_failures, updated_at) VALUES (?, 0, ?)",
                    new Object[] {origin}, new Object[] {origin, now});
        }
        for (BatchEffects.Callback target : targets) {
            insertIfAbsent("SELECT COUNT(*) FROM callback_target WHERE instance_id = ? AND url = ?",
                    "INSERT INTO callback_target (instance_id, url, updated_at) VALUES (?, ?, ?)",
                    new Object[] {target.instanceId(), target.url()}, new Object[] {target.instanceId(), target.url(), now});
        }
    }

    /** In the batch's transaction: the endpoints' and callback URLs' new states. */
    void apply(List<AttemptOutcomes.Recorded> batch, BatchEffects effects) {
        Instant now = Instant.now();
        Map<String, List<AttemptOutcomes.Recorded>> byOrigin = new LinkedHashMap<>();
        for (AttemptOutcomes.Recorded r : batch) {
            byOrigin.computeIfAbsent(r.delivery().origin(), o -> new ArrayList<>()).add(r);
        }
        Map<String, Endpoint> endpoints = lock(byOrigin.keySet().stream().sorted().toList());
        byOrigin.forEach((origin, outcomes) -> {
            Endpoint e = endpoints.get(origin);
            if (e == null) {
                return; // only successes, and the endpoint never failed: nothing to keep
            }
            for (AttemptOutcomes.Recorded r : outcomes) {
                change(e, r, now, origin, effects);
            }
            jdbc.update("UPDATE delivery_endpoint SET consecutive_failures = ?, open_until = ?, open_seconds = ?, "
                            + "throttled_until = ?, failing_since = ?, last_error = ?, updated_at = ? WHERE origin = ?",
                    e.failures, timestamp(e.openUntil), e.openFor == null ? null : (int) e.openFor.toSeconds(), timestamp(e.throttledUntil),
                    timestamp(e.failingSince), AttemptOutcomes.truncate(e.lastError), Timestamp.from(now), origin);
            if (e.wasOpen && e.openUntil == null) {
                int due = jdbc.update("UPDATE delivery SET next_attempt_at = ? WHERE origin = ? AND status IN "
                        + "('PENDING', 'RETRYING') AND next_attempt_at > ? AND lease_until IS NULL",
                        Timestamp.from(now), origin, Timestamp.from(now));
                LOG.info("Endpoint {} answered again: circuit closed, {} waiting deliveries due now", origin, due);
                effects.newWork = true;
            }
        });
        // once per callback URL of the batch, not per delivery: a drain's batch holds many deliveries to few URLs
        java.util.Set<BatchEffects.Callback> recovered = new java.util.LinkedHashSet<>();
        for (AttemptOutcomes.Recorded r : batch) {
            if (r.outcome().delivered()) {
                recovered.add(new BatchEffects.Callback(r.delivery().instanceId(), r.delivery().endpointUrl()));
            } else {
                callbackFailed(r, now, effects);
            }
        }
        Timestamp at = Timestamp.from(now);
        jdbc.batchUpdate("UPDATE callback_target SET failing_since = NULL, last_error = NULL, updated_at = ? "
                + "WHERE instance_id = ? AND url = ? AND failing_since IS NOT NULL",
                recovered.stream().map(c -> new Object[] {at, c.instanceId(), c.url()}).toList());
    }

    private void change(Endpoint e, AttemptOutcomes.Recorded r, Instant now, String origin, BatchEffects effects) {
        AttemptOutcome o = r.outcome();
        if (o.throttled()) {
            Instant until = now.plus(circuit.throttleFor(o.retryAfter()));
            if (e.throttledUntil == null || until.isAfter(e.throttledUntil)) {
                e.throttledUntil = until;
            }
            effects.heldOrigins.add(origin);
            effects.due(e.throttledUntil);
        } else if (o.endpointDown()) {
            e.failures++;
            e.failingSince = e.failingSince == null ? o.attemptedAt() : e.failingSince;
            e.lastError = o.describe();
            boolean closed = e.openUntil == null;
            if (r.delivery().probe() || (closed && e.failures >= circuit.failures())) {
                e.openFor = r.delivery().probe() ? circuit.nextOpening(e.openFor) : circuit.openFor();
                e.openUntil = now.plus(e.openFor);
                effects.heldOrigins.add(origin);
                effects.due(e.openUntil);
                LOG.warn("Endpoint {} failed {} times in a row ({}): circuit open, next probe in {} s", origin,
                        e.failures, o.describe(), e.openFor.toSeconds());
            }
        } else {
            // it answered: the endpoint is up, whatever this delivery's fate
            e.failures = 0;
            e.openUntil = null;
            e.openFor = null;
            e.failingSince = null;
            e.lastError = null;
        }
    }

    private void callbackFailed(AttemptOutcomes.Recorded r, Instant now, BatchEffects effects) {
        Delivery d = r.delivery();
        AttemptOutcome o = r.outcome();
        if (o.gone()) {
            disable(d, GONE_REASON, now, effects);
        } else if (!o.throttled()) {
            jdbc.update("UPDATE callback_target SET failing_since = COALESCE(failing_since, ?), last_error = ?, updated_at = ? "
                            + "WHERE instance_id = ? AND url = ?", Timestamp.from(o.attemptedAt()),
                    AttemptOutcomes.truncate(o.describe()), Timestamp.from(now), d.instanceId(), d.endpointUrl());
            Timestamp since = jdbc.queryForObject("SELECT failing_since FROM callback_target WHERE instance_id = ? AND url = ?",
                    Timestamp.class, d.instanceId(), d.endpointUrl());
            if (since != null && !since.toInstant().isAfter(now.minus(circuit.disableAfter()))) {
                disable(d, "endpoint failing since " + since.toInstant() + " (longer than bridge.delivery.disable-after, "
                        + circuit.disableAfter() + ")", now, effects);
            }
        }
    }

    private void disable(Delivery d, String reason, Instant now, BatchEffects effects) {
        Timestamp nowTs = Timestamp.from(now);
        int changed = jdbc.update("UPDATE callback_target SET disabled_at = ?, disabled_reason = ?, updated_at = ? "
                + "WHERE instance_id = ? AND url = ? AND disabled_at IS NULL", nowTs, reason, nowTs, d.instanceId(),
                d.endpointUrl());
        if (changed == 0) {
            return;
        }
        int ended = jdbc.update("UPDATE delivery SET status = 'FAILED', last_error = ?, lease_until = NULL, lease_token = NULL, "
                        + "updated_at = ? WHERE instance_id = ? AND endpoint_url = ? AND status IN ('PENDING', 'RETRYING')",
                reason, nowTs, d.instanceId(), d.endpointUrl());
        effects.disabled.add(new BatchEffects.Callback(d.instanceId(), d.endpointUrl()));
        LOG.warn("Callback URL {} of instance {} disabled ({}): {} waiting deliveries ended FAILED; enable it to deliver "
                + "what comes next", Delivery.loggableUrl(d.endpointUrl()), d.instanceId(), reason, ended);
    }

    private Map<String, Endpoint> lock(List<String> origins) {
        Map<String, Endpoint> rows = new LinkedHashMap<>();
        if (origins.isEmpty()) {
            return rows;
        }
        jdbc.query("SELECT origin, consecutive_failures, open_until, open_seconds, throttled_until, failing_since, last_error "
                        + "FROM delivery_endpoint WHERE origin IN (" + String.join(",", Collections.nCopies(origins.size(), "?"))
                        + ") ORDER BY origin FOR UPDATE",
                rs -> {
                    Endpoint e = new Endpoint();
                    e.failures = rs.getInt(2);
                    e.openUntil = instant(rs.getTimestamp(3));
                    int seconds = rs.getInt(4);
                    e.openFor = rs.wasNull() ? null : Duration.ofSeconds(seconds);
                    e.throttledUntil = instant(rs.getTimestamp(5));
                    e.failingSince = instant(rs.getTimestamp(6));
                    e.lastError = rs.getString(7);
                    e.wasOpen = e.openUntil != null;
                    rows.put(rs.getString(1), e);
                }, origins.toArray());
        return rows;
    }

    private void insertIfAbsent(String count, String insert, Object[] key, Object[] row) {
        Integer n = jdbc.queryForObject(count, Integer.class, key);
        if (n != null && n > 0) {
            return;
        }
        try {
            jdbc.update(insert, row);
        } catch (DuplicateKeyException raced) {
            // another node stored it first: it exists, which is all that was needed
        }
    }


}
