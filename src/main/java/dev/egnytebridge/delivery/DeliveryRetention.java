package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Deletes history past the retention period: notifications whose deliveries are all finished (their deliveries and
 * attempts go with them, by cascade), the idempotent filter's keys and the gaps found (table event_gap). A notification with a delivery still pending
 * or retrying is kept, however old, so nothing undelivered is ever purged.
 */
public class DeliveryRetention {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRetention.class);

    private final JdbcTemplate jdbc;
    private final Duration retention;

    public DeliveryRetention(JdbcTemplate jdbc, Duration retention) {
        this.jdbc = jdbc;
        this.retention = retention;
    }

    /** Purges what is older than the retention period; returns the number of notifications deleted. */
    public int purge() {
        Timestamp cutoff = Timestamp.from(Instant.now().minus(retention));
        int notifications = jdbc.update("DELETE FROM notification WHERE created_at < ? AND NOT EXISTS ("
                + "SELECT 1 FROM delivery d WHERE d.event_id = notification.event_id "
                + "AND d.status NOT IN ('DELIVERED', 'FAILED', 'GONE'))", cutoff);
        int keys = jdbc.update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE createdAt < ?", cutoff);
        int gaps = jdbc.update("DELETE FROM event_gap WHERE detected_at < ?", cutoff);
        if (notifications > 0 || keys > 0 || gaps > 0) {
            LOG.info("Retention purge: deleted {} notifications, {} idempotency keys and {} gaps older than {} days",
                    notifications, keys, gaps, retention.toDays());
        } else {
            LOG.debug("Retention purge: nothing older than {} days", retention.toDays());
        }
        return notifications;
    }
}
