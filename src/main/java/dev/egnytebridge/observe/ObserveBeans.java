package dev.egnytebridge.observe;

import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.BridgeSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Binds {@code bridgeMetrics} and registers the bridge's health checks (group {@code bridge}: database, scheduler,
 * pollers) with Camel's health-check registry. Needs {@code instanceStore} bound first.
 */
public final class ObserveBeans {

    private ObserveBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings, JdbcTemplate jdbc) {
        InstanceStore instances = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
        if (instances == null) {
            throw new IllegalStateException("Bind instanceStore before the observe beans");
        }
        context.getRegistry().bind(BridgeMetrics.BEAN, new BridgeMetrics(context));
        register(context, "bridgeDatabaseHealthCheck", new DatabaseHealthCheck(jdbc));
        register(context, "bridgeSchedulerHealthCheck", new SchedulerHealthCheck(
                java.time.Duration.ofMillis(Math.max(30_000L, 3 * settings.pollerIdleCheckMs()))));
        register(context, "bridgePollersHealthCheck", new PollersHealthCheck(instances));
    }

    /**
     * Bound as a bean, which Camel's health-check registry picks up when it starts (Camel Main makes that registry
     * after the beans are bound); registered directly too when the registry already exists (an embedding host).
     */
    private static void register(CamelContext context, String name, AbstractHealthCheck check) {
        check.setCamelContext(context);
        context.getRegistry().bind(name, check);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(check);
        }
    }
}
