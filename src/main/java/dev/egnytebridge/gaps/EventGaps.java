package dev.egnytebridge.gaps;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/** The stored gaps (table event_gap); {@link #store} joins the caller's transaction, the poll's hand-off. */
public class EventGaps {

    private static final String COLUMNS = "id, instance_id, resource, from_cursor, to_cursor, reason, detected_at, notified";

    private final JdbcTemplate jdbc;

    public EventGaps(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public EventGap store(long instanceId, String resource, String fromCursor, String toCursor, String reason,
                          boolean notified) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS); // as the database keeps it
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var insert = connection.prepareStatement("INSERT INTO event_gap (instance_id, resource, from_cursor, "
                    + "to_cursor, reason, detected_at, notified) VALUES (?, ?, ?, ?, ?, ?, ?)", new String[] {"id"});
            insert.setLong(1, instanceId);
            insert.setString(2, resource);
            insert.setString(3, fromCursor);
            insert.setString(4, toCursor);
            insert.setString(5, reason);
            insert.setTimestamp(6, Timestamp.from(now));
            insert.setBoolean(7, notified);
            return insert;
        }, keys);
        return new EventGap(keys.getKey().longValue(), instanceId, resource, fromCursor, toCursor, reason, now, notified);
    }

    /** The instance's gaps, newest first, one page. */
    public List<EventGap> page(long instanceId, int offset, int limit) {
        // numbers, not parameters: the row limit clause takes no bound parameter everywhere
        return jdbc.query("SELECT " + COLUMNS + " FROM event_gap WHERE instance_id = ? ORDER BY detected_at DESC, id DESC "
                + "OFFSET " + Math.max(0, offset) + " ROWS FETCH NEXT " + Math.max(1, limit) + " ROWS ONLY",
                EventGaps::gap, instanceId);
    }

    public int count(long instanceId) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM event_gap WHERE instance_id = ?", Integer.class, instanceId);
        return n == null ? 0 : n;
    }

    private static EventGap gap(ResultSet rs, int row) throws SQLException {
        return new EventGap(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getBoolean(8));
    }
}
