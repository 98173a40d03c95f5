package dev.egnytebridge.poller;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.egnytebridge.BridgeSettings;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.store.SeenObjects;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps one poller route per pollable instance, made from the {@code egnyte-poller} route template, in step with the
 * instances: created when events are turned on, rebuilt when the interval changes, removed when the instance is
 * deleted or its events, validity or poller are turned off. {@link #restoreAll()} rebuilds them after a restart.
 */
public class PollerScheduler {

    public static final String TEMPLATE_ID = "egnyte-poller";
    /** Egnyte asks integrations to poll every 5 minutes or less often. */
    static final Duration EGNYTE_RECOMMENDED_INTERVAL = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(PollerScheduler.class);

    private final CamelContext context;
    private final InstanceStore instances;
    private final JdbcTemplate jdbc;
    private final BridgeSettings settings;
    private final Map<Long, Long> scheduledIntervals = new ConcurrentHashMap<>();

    public PollerScheduler(CamelContext context, InstanceStore instances, JdbcTemplate jdbc, BridgeSettings settings) {
        this.context = context;
        this.instances = instances;
        this.jdbc = jdbc;
        this.settings = settings;
    }

    public static String routeId(long instanceId) {
        return "poll-instance-" + instanceId;
    }

    /** Schedules every pollable instance in the database; called once the routes have started. */
    public synchronized int restoreAll() throws Exception {
        int count = 0;
        for (Instance instance : instances.findPollable()) {
            refresh(instance);
            count++;
        }
        LOG.info("Restored the pollers of {} instance(s)", count);
        return count;
    }

    /** Brings an instance's poller in line with the instance as it is now. */
    public synchronized void refresh(Instance instance) throws Exception {
        long id = instance.id();
        if (!instance.pollable()) {
            unschedule(id);
            return;
        }
        long intervalMs = effectiveInterval(instance).toMillis();
        Long current = scheduledIntervals.get(id);
        if (current != null && current == intervalMs && context.getRoute(routeId(id)) != null) {
            return;
        }
        unschedule(id);
        TemplatedRouteBuilder.builder(context, TEMPLATE_ID)
                .routeId(routeId(id))
                .prefixId(routeId(id) + "-")
                .parameter("instanceId", id)
                .parameter("intervalMs", intervalMs)
                .add();
        scheduledIntervals.put(id, intervalMs);
        LOG.info("Polling instance {} every {} s", id, intervalMs / 1000.0);
    }

    /** Stops an instance's poller for good and forgets what it delivered (the instance is being deleted). */
    public synchronized void remove(long instanceId) throws Exception {
        unschedule(instanceId);
        SeenObjects.forgetInstance(jdbc, instanceId);
    }

    public boolean isScheduled(long instanceId) {
        return context.getRoute(routeId(instanceId)) != null;
    }

    public Long scheduledIntervalMs(long instanceId) {
        return scheduledIntervals.get(instanceId);
    }

    /** Stops the poller without forgetting anything (events off, token rejected, too many failures). */
    public synchronized void unschedule(long instanceId) throws Exception {
        String routeId = routeId(instanceId);
        if (context.getRoute(routeId) != null) {
            context.getRouteController().stopRoute(routeId);
            context.removeRoute(routeId);
            LOG.info("Stopped polling instance {}", instanceId);
        }
        scheduledIntervals.remove(instanceId);
    }

    Duration effectiveInterval(Instance instance) {
        Duration configured = instance.polling().refreshInterval();
        Duration minimum = Duration.ofSeconds(settings.pollerMinIntervalSeconds());
        Duration interval = configured.compareTo(minimum) < 0 ? minimum : configured;
        if (interval.compareTo(EGNYTE_RECOMMENDED_INTERVAL) < 0) {
            LOG.warn("Instance {} polls every {} s; Egnyte asks for 5 minutes or more", instance.id(), interval.toMillis() / 1000.0);
        }
        return interval;
    }
}
