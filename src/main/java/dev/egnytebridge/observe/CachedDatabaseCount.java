package dev.egnytebridge.observe;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A {@code SELECT COUNT(*)} for a gauge, read again only when a scrape finds it older than the refresh time, so
 * scrapes (every node, every few seconds) do not load the shared database. A {@code ?} in the query is bound to now.
 */
public final class CachedDatabaseCount {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CachedDatabaseCount.class);

    /** How long a count is served from memory: shorter than any scrape interval one would use for alerts. */
    public static final Duration REFRESH = Duration.ofSeconds(5);

    private final JdbcTemplate jdbc;
    private final String sql;
    private final AtomicLong value = new AtomicLong();
    private volatile long readAtNanos = System.nanoTime() - 2 * REFRESH.toNanos();

    public CachedDatabaseCount(JdbcTemplate jdbc, String sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    /** Registers a gauge of this count; {@code tag} and {@code value} may be null for a gauge without a tag. */
    public static void gauge(MeterRegistry registry, JdbcTemplate jdbc, String name, String description,
                             String tag, String value, String sql) {
        CachedDatabaseCount count = new CachedDatabaseCount(jdbc, sql);
        Gauge.Builder<CachedDatabaseCount> builder = Gauge.builder(name, count, CachedDatabaseCount::get)
                .description(description)
                // the gauge is the only holder of its count: Micrometer would otherwise let it be collected (NaN)
                .strongReference(true);
        if (tag != null) {
            builder.tag(tag, value);
        }
        builder.register(registry);
    }

    public double get() {
        if (System.nanoTime() - readAtNanos >= REFRESH.toNanos()) {
            readAtNanos = System.nanoTime();
            try {
                Long n = sql.contains("?")
                        ? jdbc.queryForObject(sql, Long.class, Timestamp.from(Instant.now()))
                        : jdbc.queryForObject(sql, Long.class);
                value.set(n == null ? 0 : n);
            } catch (RuntimeException e) {
                LOG.warn("Could not read {} for a gauge: {}", sql, e.toString());
                return Double.NaN;
            }
        }
        return value.get();
    }
}
