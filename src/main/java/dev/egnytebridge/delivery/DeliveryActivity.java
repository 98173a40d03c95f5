package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How an instance's deliveries went, hour by hour, from the delivery history tables. Counted per delivery (one
 * notification to one callback URL): {@code delivered} when an attempt was answered 2xx (a replay delivered again counts
 * again), at the time of that attempt; {@code failed} when a delivery ended as a dead letter ({@code FAILED}) or was
 * answered 410 Gone, at the time it ended, for as long as it stays so (a retried one no longer counts as failed).
 * The hours are UTC hours; the rows are bucketed here, not in SQL, so the queries are the same on H2 and PostgreSQL.
 */
public class DeliveryActivity {

    /** One hour, starting at {@code hour}. */
    /** One hour, starting at {@code hour}; {@code pollLagMsMax} null when no poll of the instance started in it. */
    public record HourActivity(Instant hour, long delivered, long failed, Long pollLagMsMax) {
    }

    private final JdbcTemplate jdbc;

    public DeliveryActivity(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The last {@code hours} hours up to the one {@code now} is in (that one included), oldest first, every hour. */
    public List<HourActivity> hourly(long instanceId, int hours, Instant now) {
        Instant first = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(hours - 1L));
        long[] delivered = new long[hours];
        long[] failed = new long[hours];
        Timestamp from = Timestamp.from(first);
        jdbc.query("SELECT a.attempted_at FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id "
                        + "WHERE d.instance_id = ? AND a.attempted_at >= ? AND a.http_status >= 200 AND a.http_status < 300",
                rs -> {
                    count(delivered, first, rs.getTimestamp(1));
                }, instanceId, from);
        jdbc.query("SELECT updated_at FROM delivery WHERE instance_id = ? AND status IN ('FAILED', 'GONE') AND updated_at >= ?",
                rs -> {
                    count(failed, first, rs.getTimestamp(1));
                }, instanceId, from);
        Long[] lag = new Long[hours];
        // written by the poll schedule as each poll starts (table poll_lag_hour, dev.egnytebridge.poller.PollLagHours)
        jdbc.query("SELECT hour_start, max_lag_ms FROM poll_lag_hour WHERE instance_id = ? AND hour_start >= ?",
                rs -> {
                    long hour = Duration.between(first, rs.getTimestamp(1).toInstant()).toHours();
                    if (hour >= 0 && hour < hours) {
                        lag[(int) hour] = rs.getLong(2);
                    }
                }, instanceId, from);
        List<HourActivity> result = new ArrayList<>(hours);
        for (int i = 0; i < hours; i++) {
            result.add(new HourActivity(first.plus(Duration.ofHours(i)), delivered[i], failed[i], lag[i]));
        }
        return result;
    }

    private static void count(long[] buckets, Instant first, Timestamp at) {
        if (at == null) {
            return;
        }
        long hour = Duration.between(first, at.toInstant()).toHours();
        if (hour >= 0 && hour < buckets.length) {
            buckets[(int) hour]++;
        } else if (hour >= buckets.length) {
            // a clock a little ahead of ours (another node): the newest hour
            buckets[buckets.length - 1]++;
        }
    }
}
