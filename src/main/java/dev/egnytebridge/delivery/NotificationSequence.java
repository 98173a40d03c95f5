package dev.egnytebridge.delivery;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Numbers an instance's notifications 1, 2, 3... in the order they are built, which is the order their events were
 * read. The counter lives on the instance's row and moves in the poller's transaction (the JdbcTemplate joins it),
 * so a poll rolled back gives its numbers back and a receiver sees no gap that is not a real one.
 */
public class NotificationSequence {

    private final JdbcTemplate jdbc;

    public NotificationSequence(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The next number of the instance's notifications. */
    public long next(long instanceId) {
        // the UPDATE locks the instance's row until the transaction ends: two writers cannot take one number
        int updated = jdbc.update("UPDATE element_instance SET notification_sequence = notification_sequence + 1 "
                + "WHERE id = ?", instanceId);
        if (updated != 1) {
            throw new IllegalStateException("Instance " + instanceId + " does not exist (deleted during its poll?)");
        }
        Long next = jdbc.queryForObject("SELECT notification_sequence FROM element_instance WHERE id = ?", Long.class,
                instanceId);
        return next == null ? 0 : next;
    }
}
