package dev.egnytebridge.delivery;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.observe.CachedDatabaseCount;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The delivery engine's gauges: requests in flight and deliveries waiting for a slot on this node, endpoints busy
 * here, and, from the shared database (read at most every {@link CachedDatabaseCount#REFRESH}), deliveries by status,
 * endpoints whose circuit is open or that are throttled, and disabled callback URLs. Registered once the context has
 * started, when Camel's metrics registry exists.
 */
public class DeliveryMeters implements StartupListener {

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
        for (DeliveryStatus status : List.of(DeliveryStatus.PENDING, DeliveryStatus.RETRYING, DeliveryStatus.FAILED)) {
            gauge(registry, "bridge.deliveries", "deliveries in this status, all nodes (pending, retrying, failed)",
                    "status", status.name().toLowerCase(Locale.ROOT),
                    "SELECT COUNT(*) FROM delivery WHERE status = '" + status.name() + "'");
        }
        gauge(registry, "bridge.delivery.callbacks.disabled", "callback URLs disabled (410 Gone or failing too long)",
                null, null, "SELECT COUNT(*) FROM callback_target WHERE disabled_at IS NOT NULL");
    }

    private void gauge(MeterRegistry registry, String name, String description, String tag, String value, String sql) {
        CachedDatabaseCount.gauge(registry, jdbc, name, description, tag, value, sql);
    }
}
