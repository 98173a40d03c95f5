package dev.egnytebridge.push;

import java.util.function.Supplier;

import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.observe.CachedDatabaseCount;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The gauge {@code bridge_push_registrations{state}}: Egnyte webhook registrations in each {@link PushState}, read from
 * the shared database (all nodes, cached). Registered once the context has started, when Camel's metrics registry
 * exists, so an alert on {@code state="refused"} or {@code "disabled"} sees a series from the start.
 */
class PushMeters implements StartupListener {

    private final JdbcTemplate jdbc;
    private final Supplier<BridgeMetrics> metrics;

    PushMeters(JdbcTemplate jdbc, Supplier<BridgeMetrics> metrics) {
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // registered in onCamelContextFullyStarted, after camel-micrometer made its registry
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        for (PushState state : PushState.values()) {
            CachedDatabaseCount.gauge(metrics.get().registry(), jdbc, "bridge.push.registrations",
                    "Egnyte webhook registrations in this state, all nodes (docs/push.md)", "state", state.json(),
                    "SELECT COUNT(*) FROM egnyte_push WHERE state = '" + state.name() + "'");
        }
    }
}
