package dev.egnytebridge.delivery;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Numbers an instance's notifications 1, 2, 3... in the order they are built, which is the order their events were
 * read. The counter is a small row of its own per instance (table notification_counter, made with the instance's first
 * notification) and moves in the poller's transaction (the JdbcTemplate joins it), so a poll rolled back gives its
 * numbers back and a receiver sees no gap that is not a real one.
 */
public class NotificationSequence {

    private final JdbcTemplate jdbc;

    public NotificationSequence(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The next number of the instance's notifications. */
    public long next(long instanceId) {
        // the UPDATE locks the counter's row until the transaction ends: two writers cannot take one number
        if (jdbc.update("UPDATE notification_counter SET last_sequence = last_sequence + 1 WHERE instance_id = ?",
                instanceId) == 1) {
            Long next = jdbc.queryForObject("SELECT last_sequence FROM notification_counter WHERE instance_id = ?",
                    Long.class, instanceId);
            return next == null ? 0 : next;
        }
        try {
            jdbc.update("INSERT INTO notification_counter (instance_id, last_sequence) VALUES (?, 1)", instanceId);
            return 1;
        } catch (DataIntegrityViolationException refused) {
            // the foreign key: no such instance any more
            throw new IllegalStateException("Instance " + instanceId + " does not exist (deleted during its poll?)", refused);
        }
    }
}
