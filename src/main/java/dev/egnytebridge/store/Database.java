package dev.egnytebridge.store;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.egnytebridge.config.BridgeSettings;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the bridge's connection pool and brings the schema up to date before anything uses it. */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private Database() {
    }

    public static HikariDataSource open(BridgeSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bridge-db");
        config.setJdbcUrl(durableUrl(settings.datasourceUrl()));
        config.setUsername(settings.datasourceUsername());
        config.setPassword(settings.datasourcePassword());
        config.setMaximumPoolSize(settings.datasourceMaxPoolSize());
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        LOG.info("Database ready at {}", redactedUrl(settings.datasourceUrl()));
        return dataSource;
    }

    /** Brings the schema of any DataSource up to date (Flyway: the SQL of db/migration and the Java migrations here). */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .javaMigrations(new V7__IdentityCacheOnH2())
                .load()
                .migrate();
    }

    /**
     * An embedded H2 database keeps committed changes in memory for up to WRITE_DELAY (500 ms by default) before it
     * writes them to its file, so a {@code kill -9} would forget commits the bridge already acted on: deliveries
     * already sent come back as due, and a poll's notifications and cursor vanish after their notifications were
     * sent, so the events are read again under new eventIds. WRITE_DELAY=0 writes each commit to the file before the
     * commit returns. And H2 closes itself in its own JVM shutdown hook, while Camel's hook is still letting running
     * polls and deliveries finish ("Database is already closed"): DB_CLOSE_ON_EXIT=FALSE leaves closing to the bridge,
     * which closes its pool after the routes have stopped. H2 parses every statement again once it has fallen out of
     * its session's cache of 8; the bridge runs some 60 statements in turn, and parsing was 6% of its CPU in the drain
     * benchmark: QUERY_CACHE_SIZE=128 keeps them parsed. Settings the URL gives itself are kept; other databases are
     * left as configured.
     */
    static String durableUrl(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        boolean embeddedH2 = lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:mem:")
                && !lower.startsWith("jdbc:h2:tcp:") && !lower.startsWith("jdbc:h2:ssl:");
        if (!embeddedH2) {
            return url;
        }
        String durable = url;
        if (!lower.contains(";write_delay=")) {
            durable += ";WRITE_DELAY=0";
        }
        if (!lower.contains(";db_close_on_exit=")) {
            durable += ";DB_CLOSE_ON_EXIT=FALSE";
        }
        if (!lower.contains(";query_cache_size=")) {
            durable += ";QUERY_CACHE_SIZE=128";
        }
        return durable;
    }

    /** The JDBC URL without anything after ';' or '?', where drivers accept passwords. */
    static String redactedUrl(String url) {
        int cut = url.length();
        for (char c : new char[] {';', '?'}) {
            int i = url.indexOf(c);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        return url.substring(0, cut);
    }
}
