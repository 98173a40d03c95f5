package dev.egnytebridge.poller;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where each resource of an instance stands: the Egnyte event cursor (the id of the last event handed to delivery) or
 * the end of the last date window. Advanced inside the hand-off transaction, together with the notifications.
 */
public class PollCursors {

    /** Exchange properties the readers set for {@link #advance(Exchange)}. */
    public static final String NEXT_CURSOR = "bridgeNextCursor";
    public static final String NEXT_WINDOW_END = "bridgeNextWindowEnd";

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

    /** Moves the current resource to the position its reader computed (a no-op when the reader set none). */
    public void advance(Exchange exchange) {
        String cursor = exchange.getProperty(NEXT_CURSOR, String.class);
        Instant windowEnd = exchange.getProperty(NEXT_WINDOW_END, Instant.class);
        if (cursor == null && windowEnd == null) {
            return;
        }
        long instanceId = PollSession.instance(exchange).id();
        String resource = PollSession.resource(exchange).key();
        save(instanceId, resource, new Position(cursor, windowEnd));
    }

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
