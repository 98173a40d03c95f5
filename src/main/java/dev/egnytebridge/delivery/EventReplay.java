package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Replays: every notification an instance stored since a time is sent again, with its original event id and body.
 * Its deliveries go back to PENDING, due now, without lease and with a fresh round of retries (attempts 0); earlier
 * attempts stay in the history. One transaction: a replay is done entirely or not at all.
 */
public class EventReplay {

    /** How many notifications will be sent again, and how many deliveries that makes (requeued or added). */
    public record Replayed(int notifications, int deliveries) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public EventReplay(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Requeues the deliveries to {@code urls} of the instance's notifications stored at or after {@code since}.
     * With {@code addMissing}, a notification that has no delivery to a URL of {@code urls} (a URL added after it was
     * stored) is given one. Deliveries to URLs not in {@code urls} are left alone.
     */
    public Replayed replay(long instanceId, Instant since, List<String> urls, boolean addMissing) {
        if (urls.isEmpty()) {
            return new Replayed(0, 0);
        }
        return transactions.execute(tx -> {
            Timestamp now = Timestamp.from(Instant.now());
            Timestamp from = Timestamp.from(since);
            String urlMarks = String.join(",", Collections.nCopies(urls.size(), "?"));
            List<Object> args = new ArrayList<>(List.of(now, now, instanceId));
            args.addAll(urls);
            args.add(instanceId);
            args.add(from);
            int deliveries = jdbc.update("UPDATE delivery SET status = 'PENDING', attempts = 0, next_attempt_at = ?, "
                    + "lease_until = NULL, lease_token = NULL, updated_at = ? "
                    + "WHERE instance_id = ? AND endpoint_url IN (" + urlMarks + ") AND event_id IN "
                    + "(SELECT event_id FROM notification WHERE instance_id = ? AND created_at >= ?)", args.toArray());
            if (addMissing) {
                for (String url : urls) {
                    deliveries += jdbc.update("INSERT INTO delivery (event_id, instance_id, endpoint_url, origin, status, "
                                    + "attempts, next_attempt_at, updated_at) "
                                    + "SELECT n.event_id, n.instance_id, ?, ?, 'PENDING', 0, ?, ? FROM notification n "
                                    + "WHERE n.instance_id = ? AND n.created_at >= ? AND NOT EXISTS "
                                    + "(SELECT 1 FROM delivery d WHERE d.event_id = n.event_id AND d.endpoint_url = ?)",
                            url, EndpointOrigin.orItself(url), now, now, instanceId, from, url);
                }
            }
            List<Object> countArgs = new ArrayList<>(List.of(instanceId, from));
            countArgs.addAll(urls);
            Integer notifications = jdbc.queryForObject("SELECT COUNT(DISTINCT n.event_id) FROM notification n "
                    + "JOIN delivery d ON d.event_id = n.event_id WHERE n.instance_id = ? AND n.created_at >= ? "
                    + "AND d.endpoint_url IN (" + urlMarks + ")", Integer.class, countArgs.toArray());
            return new Replayed(notifications == null ? 0 : notifications, deliveries);
        });
    }
}
