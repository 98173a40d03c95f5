package dev.egnytebridge.poller;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps how late each instance's polls started, per UTC hour (table poll_lag_hour: the longest lag and the number of
 * polls), for the instance's activity chart. One statement per poll start; a failure to write it is logged and does
 * not hold the poll back.
 */
public class PollLagHours {

    /** Hours kept: the longest activity window (168 hours) and a day. */
    static final Duration KEPT = Duration.ofHours(192);
    private static final Logger LOG = LoggerFactory.getLogger(PollLagHours.class);

    private final JdbcTemplate jdbc;
    private volatile Instant purgedBefore = Instant.EPOCH;

    public PollLagHours(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A poll of the instance started {@code lag} after its planned time, at {@code startedAt}. */
    void record(long instanceId, Instant startedAt, Duration lag) {
        Timestamp hour = Timestamp.from(startedAt.truncatedTo(ChronoUnit.HOURS));
        long lagMs = Math.max(0, lag.toMillis());
        try {
            // no transaction here (a poll starts outside one), so a lost insert race is simply retried
            if (raise(instanceId, hour, lagMs) == 0) {
                try {
                    jdbc.update("INSERT INTO poll_lag_hour (instance_id, hour_start, max_lag_ms, polls) VALUES (?, ?, ?, 1)",
                            instanceId, hour, lagMs);
                } catch (DuplicateKeyException raced) {
                    raise(instanceId, hour, lagMs);
                }
            }
            purgeOldHours(startedAt);
        } catch (DataAccessException e) {
            // the instance may have been deleted meanwhile (its rows go with it); the chart misses one poll at most
            LOG.debug("Could not record the poll lag of instance {}: {}", instanceId, e.toString());
        }
    }

    private int raise(long instanceId, Timestamp hour, long lagMs) {
        return jdbc.update("UPDATE poll_lag_hour SET max_lag_ms = GREATEST(max_lag_ms, ?), polls = polls + 1 "
                + "WHERE instance_id = ? AND hour_start = ?", lagMs, instanceId, hour);
    }

    private void purgeOldHours(Instant now) {
        Instant cutoff = now.truncatedTo(ChronoUnit.HOURS).minus(KEPT);
        if (cutoff.isAfter(purgedBefore)) {
            purgedBefore = cutoff;
            jdbc.update("DELETE FROM poll_lag_hour WHERE hour_start < ?", Timestamp.from(cutoff));
        }
    }
}
