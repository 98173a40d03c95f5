package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The durable outbox: notifications and one delivery per callback URL, written in the poller's transaction (the
 * JdbcTemplate joins it). Once that transaction commits, the dispatcher is told of new work: a stored notification goes
 * out at once, without waiting for a look at the database; in cluster mode the other nodes' dispatchers are told too
 * ({@code ClusterSignals}), by the same commit.
 */
public class Outbox {

    private final JdbcTemplate jdbc;
    /** {@link DeliveryDispatcher#newWork()}: a bare wake could be taken for a freed slot and skip the look. */
    private final Runnable newWork;
    /** Tells the other nodes of a cluster, inside the caller's transaction (so at its commit, never for a rollback). */
    private final Runnable otherNodes;

    public Outbox(JdbcTemplate jdbc, Runnable newWork) {
        this(jdbc, newWork, () -> { });
    }

    public Outbox(JdbcTemplate jdbc, Runnable newWork, Runnable otherNodes) {
        this.jdbc = jdbc;
        this.newWork = newWork;
        this.otherNodes = otherNodes;
    }

    /** Stores the notification and one PENDING delivery per callback URL, due now, in the caller's transaction. */
    public void enqueue(Notification notification, List<String> callbackUrls) {
        enqueue(notification, callbackUrls, null);
    }

    /** The same, for a poll a push of Egnyte's webhook brought ({@code pushedAt}: when that push came; else null). */
    public void enqueue(Notification notification, List<String> callbackUrls, Instant pushedAt) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("INSERT INTO notification (event_id, instance_id, resource, object_count, sequence, body, created_at, "
                        + "pushed_at, newest_event_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                notification.eventId(), notification.instanceId(), notification.resource(), notification.objectCount(),
                notification.sequence(), notification.body(), now, pushedAt == null ? null : Timestamp.from(pushedAt),
                notification.newestEventAt() == null ? null : Timestamp.from(notification.newestEventAt()));
        List<Object[]> rows = callbackUrls.stream().distinct()
                .map(url -> new Object[] {notification.eventId(), notification.instanceId(), url,
                        EndpointOrigin.orItself(url), DeliveryStatus.PENDING.name(), now, now})
                .toList();
        jdbc.batchUpdate("INSERT INTO delivery (event_id, instance_id, endpoint_url, origin, status, attempts, "
                + "next_attempt_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)", rows);
        otherNodes.run();
        wakeDispatcherAfterCommit();
    }

    private void wakeDispatcherAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    newWork.run();
                }
            });
        } else {
            newWork.run();
        }
    }

    /** Gives deliveries stored by a version without endpoints theirs (once, at start; a no-op afterwards). */
    public int fillMissingOrigins() {
        List<Object[]> rows = jdbc.query("SELECT id, endpoint_url FROM delivery WHERE origin IS NULL",
                (rs, n) -> new Object[] {EndpointOrigin.orItself(rs.getString(2)), rs.getLong(1)});
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("UPDATE delivery SET origin = ? WHERE id = ?", rows);
        }
        return rows.size();
    }
}
