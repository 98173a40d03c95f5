package dev.egnytebridge.observe;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Once the context has started (Camel's metrics registry exists then): the bridge's node-wide meters at zero, and the
 * gauges of pollers disabled and instances paused, counted in the shared database (all nodes) and cached.
 */
public class ObserveMeters implements StartupListener {

    private final BridgeMetrics metrics;
    private final JdbcTemplate jdbc;

    public ObserveMeters(BridgeMetrics metrics, JdbcTemplate jdbc) {
        this.metrics = metrics;
        this.jdbc = jdbc;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // registered in onCamelContextFullyStarted, after camel-micrometer made its registry
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        metrics.registerNodeMeters();
        MeterRegistry registry = metrics.registry();
        CachedDatabaseCount.gauge(registry, jdbc, "bridge.pollers.disabled",
                "instances whose poller was disabled after too many failed polls in a row, all nodes", null, null,
                "SELECT COUNT(*) FROM element_instance WHERE poller_disabled = TRUE");
        CachedDatabaseCount.gauge(registry, jdbc, "bridge.instances.paused",
                "instances paused until Egnyte's daily quota allows calls again, all nodes", null, null,
                "SELECT COUNT(*) FROM element_instance WHERE paused_until > ?");
    }
}
