package dev.egnytebridge.poller;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.apache.camel.ExchangeProperty;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where each resource of an instance stands: the Egnyte event cursor (the id of the last event handed to delivery) or
 * the end of the last date window. Advanced inside the hand-off transaction, together with the notifications.
 */
public class PollCursors {

    private final JdbcTemplate jdbc;

    public PollCursors(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Position(String cursor, Instant windowEnd) {
    }

    public Optional<Position> find(long instanceId, String resource) {
        return jdbc.query("SELECT cursor_value, window_end FROM poll_cursor WHERE instance_id = ? AND resource = ?",
                (rs, row) -> new Position(rs.getString(1), rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant()),
                instanceId, resource).stream().findFirst();
    }

    /** Step {@code advance-cursor}: moves the resource being read to the position its reader computed, if any. */
    public void advance(@ExchangeProperty(Poll.PROPERTY) Poll poll) {
        ResourceRead read = poll.resource();
        if (read.nextCursor() == null && read.nextWindowEnd() == null) {
            return;
        }
        save(poll.instanceId(), read.key(), new Position(read.nextCursor(), read.nextWindowEnd()));
    }

    /** Callers hold the instance's row lock ({@code InstanceStore.lock}): two writers would both find no row and insert. */
    public void save(long instanceId, String resource, Position position) {
        Timestamp now = Timestamp.from(Instant.now());
        Timestamp windowEnd = position.windowEnd() == null ? null : Timestamp.from(position.windowEnd());
        int updated = jdbc.update("UPDATE poll_cursor SET cursor_value = ?, window_end = ?, updated_at = ? "
                + "WHERE instance_id = ? AND resource = ?", position.cursor(), windowEnd, now, instanceId, resource);
        if (updated == 0) {
            jdbc.update("INSERT INTO poll_cursor (instance_id, resource, cursor_value, window_end, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?)", instanceId, resource, position.cursor(), windowEnd, now);
        }
    }
}
