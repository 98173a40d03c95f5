package dev.egnytebridge.store;

import java.sql.Connection;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 7, on H2 only: the identity columns of the busiest tables (a delivery per callback URL of every
 * notification, an attempt row per attempt) take their ids from a cache of 1,000 instead of H2's 32. Each time H2's
 * cache runs out it commits the sequence's new high-water mark in a transaction of its own, written to the file at
 * once (WRITE_DELAY=0): that was a tenth of the poller's and the attempt log's CPU in the drain benchmark. A crash
 * leaves a gap in the ids, never a repeat; ids stay in insertion order (one sequence per table in one process).
 * PostgreSQL's identity sequences cost no such commit and keep their default.
 */
public class V7__IdentityCacheOnH2 extends BaseJavaMigration {

    static final int CACHE = 1000;

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!connection.getMetaData().getDatabaseProductName().startsWith("H2")) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE delivery ALTER COLUMN id SET CACHE " + CACHE);
            statement.execute("ALTER TABLE delivery_attempt ALTER COLUMN id SET CACHE " + CACHE);
        }
    }
}
