package dev.egnytebridge.push;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.budget.CallBudget;
import dev.egnytebridge.cluster.ClusterNode;
import dev.egnytebridge.config.BridgeSettings;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.security.PublicBaseUrl;
import dev.egnytebridge.security.SecretCipher;
import dev.egnytebridge.wake.WakeableScheduler;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Binds the beans of routes/egnyte-push.yaml: {@code pushWakeup} (runs maintain-push-registrations),
 * {@code pushRegistrations}, {@code pushLifecycle}, {@code pushDoorbell} and {@code pushApi}.
 */
public class PushConfiguration implements CamelConfiguration {

    /** Runs maintain-push-registrations: when woken, at the next upkeep due, and otherwise every idle-check. */
    @BindToRegistry(value = "pushWakeup", lazy = true)
    public WakeableScheduler pushWakeup(@BeanInject("bridgeSettings") BridgeSettings settings) {
        return new WakeableScheduler("maintain-push-registrations",
                Duration.ofMillis(settings.pushIdleCheckMs()));
    }

    @BindToRegistry(value = "pushTimings", lazy = true)
    public PushTimings pushTimings(@BeanInject("bridgeSettings") BridgeSettings settings) {
        return new PushTimings(Duration.ofMillis(settings.requiredLong("bridge.push.coalesce-ms", 0)),
                Duration.ofSeconds(settings.requiredLong("bridge.push.renew-before-seconds", 60)),
                Duration.ofSeconds(settings.requiredLong("bridge.push.check-seconds", 60)),
                Duration.ofSeconds(settings.requiredLong("bridge.push.retry-seconds", 1)));
    }

    /** With the gauge of registrations by state (all nodes), registered once Camel's metrics registry exists. */
    @BindToRegistry(value = "pushRegistrations", lazy = true)
    public PushRegistrations pushRegistrations(CamelContext context,
                                               @BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                                               @BeanInject("secretCipher") SecretCipher cipher,
                                               @BeanInject("clusterNode") ClusterNode node,
                                               @BeanInject("bridgeSettings") BridgeSettings settings,
                                               @BeanInject("pushWakeup") WakeableScheduler wakeup) throws Exception {
        // long enough for an upkeep's every call to time out, so no other node starts the same one meanwhile
        Duration lease = Duration.ofMillis((long) PushSync.MAX_CALLS * settings.egnyteTimeoutMs()).plusMinutes(1);
        context.addStartupListener(new PushMeters(jdbc, () -> BridgeMetrics.of(context)));
        return new PushRegistrations(jdbc, cipher, node, lease, wakeup);
    }

    @BindToRegistry(value = "pushLifecycle", lazy = true)
    public PushLifecycle pushLifecycle(@BeanInject("pushRegistrations") PushRegistrations registrations,
                                       @BeanInject("instanceStore") InstanceStore instances,
                                       @BeanInject("publicBaseUrl") PublicBaseUrl publicBase,
                                       @BeanInject("bridgeObjectMapper") ObjectMapper mapper,
                                       @BeanInject("pushTimings") PushTimings timings) {
        return new PushLifecycle(registrations, instances, publicBase, mapper, timings);
    }

    @BindToRegistry(value = "pushDoorbell", lazy = true)
    public PushDoorbell pushDoorbell(@BeanInject("pushRegistrations") PushRegistrations registrations,
                                     @BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                                     @BeanInject("pushTimings") PushTimings timings,
                                     @BeanInject("pollWakeup") WakeableScheduler pollWakeup,
                                     @BeanInject("bridgeMetrics") BridgeMetrics metrics,
                                     @BeanInject("callBudget") CallBudget budget,
                                     @BeanInject("instanceStore") InstanceStore instances) {
        return new PushDoorbell(registrations, jdbc, timings.coalesce(), pollWakeup, metrics, budget, instances);
    }

    @BindToRegistry(value = "pushApi", lazy = true)
    public PushApi pushApi(@BeanInject("pushRegistrations") PushRegistrations registrations,
                           @BeanInject("instanceStore") InstanceStore instances) {
        return new PushApi(registrations, instances);
    }
}
