package dev.egnytebridge.store;

import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The keys of objects already handed to delivery (table {@code CAMEL_MESSAGEPROCESSED}, the layout of Camel's JDBC
 * idempotent repository, created by our migrations with a primary key), remembered a page at a time: one query and
 * one statement or batch per page instead of a query and an insert per object. It runs in the caller's transaction (the
 * JdbcTemplate joins it), so a key is only remembered together with the notification that carries its object.
 * A key another transaction inserts at the same moment counts as already seen, and never aborts this transaction:
 * on PostgreSQL the insert itself decides ({@code ON CONFLICT DO NOTHING}); on H2 a duplicate fails only its own
 * statement of the batch. Keys are {@code <instanceId>:<resource>:<object key>}, so one instance's keys can be
 * forgotten when it is deleted.
 */
public final class SeenObjects {

    public static final String PROCESSOR_NAME = "egnyte-bridge";
    /** messageId column width in V1__baseline.sql. */
    public static final int MAX_KEY_LENGTH = 255;
    /** Keys per statement: well within both databases' limits on parameters. */
    private static final int CHUNK = 500;
    private static final String DUPLICATE_KEY = "23505";

    private final JdbcTemplate jdbc;
    private final boolean postgres;

    public SeenObjects(JdbcTemplate jdbc, boolean postgres) {
        this.jdbc = jdbc;
        this.postgres = postgres;
    }

    public static SeenObjects of(DataSource dataSource, JdbcTemplate jdbc) {
        return new SeenObjects(jdbc, DatabaseProduct.isPostgres(dataSource));
    }

    /**
     * Remembers the keys and returns those never seen before, each once, in their first order. A key that appears
     * twice in {@code keys} is new at most once.
     */
    public List<String> remember(List<String> keys) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
        List<String> fresh = new ArrayList<>(distinct.size());
        for (int from = 0; from < distinct.size(); from += CHUNK) {
            List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + CHUNK));
            fresh.addAll(postgres ? insertNewOnPostgres(chunk) : insertNewOnH2(chunk));
        }
        return fresh;
    }

    /** One statement: the keys that were inserted come back; the others (stored, or racing in) are skipped. */
    private List<String> insertNewOnPostgres(List<String> keys) {
        Set<String> inserted = new HashSet<>(jdbc.execute((ConnectionCallback<List<String>>) connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO CAMEL_MESSAGEPROCESSED "
                    + "(processorName, messageId, createdAt) SELECT ?, k, ? FROM unnest(?::varchar[]) AS k "
                    + "ON CONFLICT DO NOTHING RETURNING messageId")) {
                insert.setString(1, PROCESSOR_NAME);
                insert.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
                insert.setArray(3, connection.createArrayOf("varchar", keys.toArray()));
                List<String> back = new ArrayList<>(keys.size());
                try (var rows = insert.executeQuery()) {
                    while (rows.next()) {
                        back.add(rows.getString(1));
                    }
                }
                return back;
            }
        }));
        return keys.stream().filter(inserted::contains).toList();
    }

    /**
     * One batch of inserts, where a key already stored fails alone (H2 goes on with the batch and rolls back only the
     * failed statement). No query first: H2 answers {@code messageId IN (...)} by scanning the processor's keys.
     */
    private List<String> insertNewOnH2(List<String> candidates) {
        int[] counts = jdbc.execute((ConnectionCallback<int[]>) connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?, ?, ?)")) {
                Timestamp now = new Timestamp(System.currentTimeMillis());
                for (String key : candidates) {
                    insert.setString(1, PROCESSOR_NAME);
                    insert.setString(2, key);
                    insert.setTimestamp(3, now);
                    insert.addBatch();
                }
                try {
                    return insert.executeBatch();
                } catch (BatchUpdateException someFailed) {
                    // a key stored before (or by a transaction that committed meanwhile): seen. Anything else is a fault.
                    for (SQLException e = someFailed.getNextException(); e != null; e = e.getNextException()) {
                        if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                            throw e;
                        }
                    }
                    if (someFailed.getNextException() == null && !DUPLICATE_KEY.equals(someFailed.getSQLState())) {
                        throw someFailed;
                    }
                    return someFailed.getUpdateCounts();
                }
            }
        });
        List<String> fresh = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            if (i < counts.length && (counts[i] > 0 || counts[i] == Statement.SUCCESS_NO_INFO)) {
                fresh.add(candidates.get(i));
            }
        }
        return fresh;
    }

    /** Removes every key of one instance (when the instance is deleted). */
    public static int forgetInstance(JdbcTemplate jdbc, long instanceId) {
        return jdbc.update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND messageId LIKE ?",
                PROCESSOR_NAME, instanceId + ":%");
    }
}
