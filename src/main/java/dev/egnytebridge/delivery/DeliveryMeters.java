package dev.egnytebridge.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.egnytebridge.observe.BridgeMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The delivery engine's gauges: requests in flight and deliveries waiting for a slot on this node, endpoints busy
 * here, and, from the shared database (read at most every {@link #REFRESH}), endpoints whose circuit is open or that
 * are throttled, and disabled callback URLs. Registered once the context has started, when Camel's metrics registry
 * exists.
 */
public class DeliveryMeters implements StartupListener {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeliveryMeters.class);

    static final Duration REFRESH = Duration.ofSeconds(5);

    private final DeliveryDispatcher dispatcher;
    private final JdbcTemplate jdbc;
    private final Supplier<BridgeMetrics> metrics;

    public DeliveryMeters(DeliveryDispatcher dispatcher, JdbcTemplate jdbc, Supplier<BridgeMetrics> metrics) {
        this.dispatcher = dispatcher;
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // registered in onCamelContextFullyStarted, after camel-micrometer made its registry
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        MeterRegistry registry = metrics.get().registry();
        Gauge.builder("bridge.delivery.in_flight", dispatcher, DeliveryDispatcher::inFlight)
                .description("callback requests in flight on this node").register(registry);
        Gauge.builder("bridge.delivery.waiting", dispatcher, DeliveryDispatcher::waitingCount)
                .description("deliveries leased by this node and waiting for a free slot of their endpoint").register(registry);
        Gauge.builder("bridge.delivery.endpoints.busy", dispatcher, DeliveryDispatcher::busyEndpoints)
                .description("endpoints with a request in flight on this node").register(registry);
        gauge(registry, "bridge.delivery.endpoints", "endpoints in this state (all nodes)", "state", "circuit_open",
                "SELECT COUNT(*) FROM delivery_endpoint WHERE open_until IS NOT NULL");
        gauge(registry, "bridge.delivery.endpoints", "endpoints in this state (all nodes)", "state", "throttled",
                "SELECT COUNT(*) FROM delivery_endpoint WHERE throttled_until > ?");
        gauge(registry, "bridge.delivery.callbacks.disabled", "callback URLs disabled (410 Gone or failing too long)",
                null, null, "SELECT COUNT(*) FROM callback_target WHERE disabled_at IS NOT NULL");
    }

    private void gauge(MeterRegistry registry, String name, String description, String tag, String value, String sql) {
        CachedCount count = new CachedCount(sql);
        Gauge.Builder<CachedCount> builder = Gauge.builder(name, count, CachedCount::get).description(description)
                // the gauge is the only holder of its count: Micrometer would otherwise let it be collected (NaN)
                .strongReference(true);
        if (tag != null) {
            builder.tag(tag, value);
        }
        builder.register(registry);
    }

    /** A count from the database, read again only when a scrape finds it older than REFRESH. */
    private final class CachedCount {
        private final String sql;
        private final AtomicLong value = new AtomicLong();
        private volatile long readAtNanos = System.nanoTime() - 2 * REFRESH.toNanos();

        CachedCount(String sql) {
            this.sql = sql;
        }

        double get() {
            if (System.nanoTime() - readAtNanos >= REFRESH.toNanos()) {
                readAtNanos = System.nanoTime();
                try {
                    Long n = sql.contains("?")
                            ? jdbc.queryForObject(sql, Long.class, Timestamp.from(Instant.now()))
                            : jdbc.queryForObject(sql, Long.class);
                    value.set(n == null ? 0 : n);
                } catch (RuntimeException e) {
                    LOG.warn("Could not read {} for a delivery gauge: {}", sql, e.toString());
                    return Double.NaN;
                }
            }
            return value.get();
        }
    }
}
