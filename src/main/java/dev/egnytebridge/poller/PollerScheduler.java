package dev.egnytebridge.poller;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import dev.egnytebridge.BridgeSettings;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.store.SeenObjects;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.impl.matchers.GroupMatcher;
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
    /** The Quartz job (and trigger) group of the poller routes: {@code quartz:egnyte-pollers/instance-<id>}. */
    static final String JOB_GROUP = "egnyte-pollers";
    /** Egnyte asks integrations to poll every 5 minutes or less often. */
    static final Duration EGNYTE_RECOMMENDED_INTERVAL = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(PollerScheduler.class);

    private final CamelContext context;
    private final InstanceStore instances;
    private final JdbcTemplate jdbc;
    private final BridgeSettings settings;
    private final Map<Long, Long> scheduledIntervals = new ConcurrentHashMap<>();
    /** Set by restoreAll: from then on refresh adds routes at once. */
    private volatile boolean restored;
    private ExecutorService stopper;

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
        restored = true;
        int count = 0;
        for (Instance instance : instances.findPollable()) {
            refresh(instance);
            count++;
        }
        LOG.info("Restored the pollers of {} instance(s)", count);
        if (settings.clusterEnabled()) {
            // cluster mode starts Quartz only now (ClusterBeans), so this node fires no shared job before it has the
            // route of every instance
            Scheduler scheduler = quartzScheduler();
            if (!scheduler.isStarted()) {
                scheduler.start();
                LOG.info("Joined the cluster's poll scheduling");
            }
        }
        return count;
    }

    /** Brings an instance's poller in line with the instance as it is now. */
    public synchronized void refresh(Instance instance) throws Exception {
        long id = instance.id();
        if (!instance.pollable()) {
            unschedule(id);
            return;
        }
        if (!restored && !context.isStarted()) {
            // a route added while the context is still starting is never started; restoreAll, run once the context
            // has fully started, schedules this instance from the database with all the others
            LOG.debug("Instance {} is scheduled once the bridge has started", id);
            return;
        }
        long intervalMs = effectiveInterval(instance).toMillis();
        Long current = scheduledIntervals.get(id);
        if (current != null && current == intervalMs && context.getRoute(routeId(id)) != null) {
            return;
        }
        // only the route: camel-quartz reschedules an existing (cluster-wide) trigger whose interval changed
        removeRoute(id);
        TemplatedRouteBuilder.builder(context, TEMPLATE_ID)
                .routeId(routeId(id))
                .prefixId(routeId(id) + "-")
                .parameter("instanceId", id)
                .parameter("intervalMs", intervalMs)
                .parameter("startDelayMs", firstPollDelayMs())
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

    /**
     * As {@link #unschedule(long)}, for a poll that stops its own poller (token rejected, too many failures, instance
     * gone): a route cannot wait for its own exchange to finish, so the route is stopped from another thread once
     * this poll has returned.
     */
    public void unscheduleAfterPoll(long instanceId) {
        stopper().submit(() -> {
            try {
                unschedule(instanceId);
            } catch (Exception e) {
                LOG.error("Could not stop the poller of instance {}", instanceId, e);
            }
        });
    }

    private synchronized ExecutorService stopper() {
        if (stopper == null) {
            stopper = context.getExecutorServiceManager().newSingleThreadExecutor(this, "poller-stopper");
        }
        return stopper;
    }

    /** Stops the poller without forgetting anything (events off, token rejected, too many failures). */
    public synchronized void unschedule(long instanceId) throws Exception {
        removeRoute(instanceId);
        if (settings.clusterEnabled()) {
            // camel-quartz keeps a clustered job when its route stops: without this its trigger would go on firing
            // on the other nodes
            Scheduler scheduler = quartzScheduler();
            if (scheduler != null && scheduler.deleteJob(JobKey.jobKey(jobName(instanceId), JOB_GROUP))) {
                LOG.info("Deleted the cluster's poll job of instance {}", instanceId);
            }
        }
    }

    private void removeRoute(long instanceId) throws Exception {
        String routeId = routeId(instanceId);
        if (context.getRoute(routeId) != null) {
            context.getRouteController().stopRoute(routeId);
            context.removeRoute(routeId);
            LOG.info("Stopped polling instance {}", instanceId);
        }
        scheduledIntervals.remove(instanceId);
    }

    private Scheduler quartzScheduler() {
        return context.getComponent("quartz", QuartzComponent.class).getScheduler();
    }

    /**
     * Delay before a new trigger's first fire. In cluster mode the other nodes learn of a new instance at their next
     * reconciliation, so the first fire waits for that: a fire on a node without the route would be skipped.
     */
    private long firstPollDelayMs() {
        return settings.clusterEnabled() ? settings.clusterReconcileIntervalMs() + 1_000 : 500;
    }

    static String jobName(long instanceId) {
        return "instance-" + instanceId;
    }

    /**
     * Cluster mode: every node needs the poller route of every pollable instance (Quartz may fire any job on any node),
     * so each node periodically adds the routes of instances created on other nodes and drops those of instances
     * deleted or stopped elsewhere, and recreates a pollable instance's shared job if it has gone missing. Routes
     * already here are otherwise left alone: an interval changed on another node is already in the shared trigger.
     * Returns how many routes were added, recreated or removed.
     */
    public synchronized int reconcile() throws Exception {
        List<Instance> pollable = instances.findPollable();
        Set<JobKey> jobs = settings.clusterEnabled()
                ? quartzScheduler().getJobKeys(GroupMatcher.jobGroupEquals(JOB_GROUP)) : Set.of();
        Set<Long> pollableIds = new HashSet<>();
        int changes = 0;
        for (Instance instance : pollable) {
            long id = instance.id();
            pollableIds.add(id);
            if (!isScheduled(id)) {
                refresh(instance);
                changes++;
            } else if (settings.clusterEnabled() && !jobs.contains(JobKey.jobKey(jobName(id), JOB_GROUP))) {
                // the shared job is gone while the instance is pollable (a node that saw it stopped deleted the job
                // just as another node started it again): adding the route again recreates the job
                LOG.warn("The cluster had no poll job for instance {}; recreating it", id);
                removeRoute(id);
                refresh(instance);
                changes++;
            }
        }
        for (Long id : Set.copyOf(scheduledIntervals.keySet())) {
            // read again: the instance may have been started again since the list above was read
            if (!pollableIds.contains(id) && !instances.find(id).map(Instance::pollable).orElse(false)) {
                unschedule(id);
                changes++;
            }
        }
        if (changes > 0) {
            LOG.info("Reconciled pollers with the cluster: {} route(s) added or removed", changes);
        }
        return changes;
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
