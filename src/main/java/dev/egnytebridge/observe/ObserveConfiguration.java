package dev.egnytebridge.observe;

import java.time.Duration;
import java.util.List;

import dev.egnytebridge.config.BridgeSettings;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Binds {@code bridgeMetrics} and the bridge's health checks (group {@code bridge}: database, scheduler, pollers).
 * Camel's health-check registry picks the checks up by type when it starts (Camel Main makes it after the beans are
 * bound); a host whose registry already exists gets them registered in {@link #configure(CamelContext)}. The
 * bridge's node-wide meters and its database gauges are registered once the context has started ({@link ObserveMeters}).
 */
public class ObserveConfiguration implements CamelConfiguration {

    static final List<String> HEALTH_CHECKS =
            List.of("bridgeDatabaseHealthCheck", "bridgeSchedulerHealthCheck", "bridgePollersHealthCheck");

    @Override
    public void configure(CamelContext context) {
        try {
            context.addStartupListener(new ObserveMeters(context.getRegistry().lookupByNameAndType(BridgeMetrics.BEAN,
                    BridgeMetrics.class), context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class)));
        } catch (Exception e) {
            throw new IllegalStateException("Could not register the bridge's meters", e);
        }
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            for (String name : HEALTH_CHECKS) {
                health.register(context.getRegistry().lookupByNameAndType(name, HealthCheck.class));
            }
        }
    }

    @BindToRegistry(value = BridgeMetrics.BEAN, lazy = true)
    public BridgeMetrics bridgeMetrics(CamelContext context) {
        return new BridgeMetrics(context);
    }

    @BindToRegistry(value = "bridgeDatabaseHealthCheck", lazy = true)
    public DatabaseHealthCheck bridgeDatabaseHealthCheck(CamelContext context,
                                                         @BeanInject("jdbcTemplate") JdbcTemplate jdbc) {
        DatabaseHealthCheck check = new DatabaseHealthCheck(jdbc);
        check.setCamelContext(context);
        return check;
    }

    /** Stale when the poll scheduler has not looked for due polls for three of its idle checks (at least 30 s). */
    @BindToRegistry(value = "bridgeSchedulerHealthCheck", lazy = true)
    public SchedulerHealthCheck bridgeSchedulerHealthCheck(CamelContext context,
                                                           @BeanInject("bridgeSettings") BridgeSettings settings) {
        SchedulerHealthCheck check = new SchedulerHealthCheck(
                Duration.ofMillis(Math.max(30_000L, 3 * settings.pollerIdleCheckMs())));
        check.setCamelContext(context);
        return check;
    }

    @BindToRegistry(value = "bridgePollersHealthCheck", lazy = true)
    public PollersHealthCheck bridgePollersHealthCheck(CamelContext context,
                                                       @BeanInject("instanceStore") InstanceStore instances) {
        PollersHealthCheck check = new PollersHealthCheck(instances);
        check.setCamelContext(context);
        return check;
    }
}
