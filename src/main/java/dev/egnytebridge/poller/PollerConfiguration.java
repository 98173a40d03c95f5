package dev.egnytebridge.poller;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.budget.CallBudget;
import dev.egnytebridge.cluster.ClusterNode;
import dev.egnytebridge.cluster.ClusterSignals;
import dev.egnytebridge.config.BridgeSettings;
import dev.egnytebridge.egnyte.EgnyteHttp;
import dev.egnytebridge.egnyte.EgnyteRateLimiter;
import dev.egnytebridge.gaps.EventGaps;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.store.SeenObjects;
import dev.egnytebridge.wake.WakeableScheduler;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.ThreadPoolProfile;
import org.springframework.jdbc.core.JdbcTemplate;

/** Binds the beans the poller routes call by name. */
public class PollerConfiguration implements CamelConfiguration {

    /**
     * Runs schedule-due-polls ({@code scheduler=#pollWakeup}): when woken, at the next poll it was told of, and
     * otherwise every bridge.poller.idle-check-ms.
     */
    @BindToRegistry(value = "pollWakeup", lazy = true)
    public WakeableScheduler pollWakeup(@BeanInject("bridgeSettings") BridgeSettings settings) {
        return new WakeableScheduler("schedule-due-polls", Duration.ofMillis(settings.pollerIdleCheckMs()));
    }

    /**
     * Once the context has started, every pollable instance gets its place in the schedule (stored before the schedule
     * existed, or its interval changed with bridge.poller.min-interval-seconds): after the start, so the REST API does
     * not wait for it, and the instances already in the schedule are polled meanwhile.
     */
    @BindToRegistry(value = "pollerScheduler", lazy = true)
    public PollerScheduler pollerScheduler(CamelContext context,
                                           @BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                                           @BeanInject("bridgeObjectMapper") ObjectMapper mapper,
                                           @BeanInject("bridgeSettings") BridgeSettings settings,
                                           @BeanInject("pollWakeup") WakeableScheduler wakeup,
                                           @BeanInject("clusterSignals") ClusterSignals signals) throws Exception {
        PollerScheduler scheduler = new PollerScheduler(jdbc, mapper, settings, wakeup,
                () -> signals.send(ClusterSignals.POLLS));
        signals.onSignal(ClusterSignals.POLLS, wakeup::wake);
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                scheduler.scheduleAll();
                wakeup.wake(); // and a look with every route running
            }
        });
        return scheduler;
    }

    /** Started with the context (releases a crashed run's claims on a single node), stopped after the routes. */
    @BindToRegistry(value = "duePolls", lazy = true)
    public DuePolls duePolls(CamelContext context,
                             @BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                             @BeanInject("clusterNode") ClusterNode node,
                             @BeanInject("bridgeSettings") BridgeSettings settings,
                             @BeanInject("pollWakeup") WakeableScheduler wakeup,
                             @BeanInject("bridgeMetrics") BridgeMetrics metrics,
                             @BeanInject("callBudget") CallBudget budget) throws Exception {
        DuePolls duePolls = new DuePolls(jdbc, node, settings.pollerThreads(),
                Duration.ofSeconds(settings.pollerLeaseSeconds()), wakeup, metrics, budget);
        context.addService(duePolls, true, true);
        return duePolls;
    }

    @BindToRegistry(value = "pollCursors", lazy = true)
    public PollCursors pollCursors(@BeanInject("jdbcTemplate") JdbcTemplate jdbc) {
        return new PollCursors(jdbc);
    }

    @BindToRegistry(value = "pollSession", lazy = true)
    public PollSession pollSession(@BeanInject("instanceStore") InstanceStore instances,
                                   @BeanInject("pollerScheduler") PollerScheduler scheduler,
                                   @BeanInject("bridgeSettings") BridgeSettings settings,
                                   @BeanInject("bridgeMetrics") BridgeMetrics metrics) {
        return new PollSession(instances, scheduler, new PollFailures(instances, scheduler, settings), metrics);
    }

    /** Route call-egnyte: every call to Egnyte waits for its token's turn here, and the wait is counted. */
    @BindToRegistry(value = "egnyteRateLimiter", lazy = true)
    public EgnyteRateLimiter egnyteRateLimiter(@BeanInject("bridgeSettings") BridgeSettings settings,
                                               @BeanInject("bridgeMetrics") BridgeMetrics metrics) {
        return new EgnyteRateLimiter(settings.egnyteRateLimitQps(), metrics::rateLimitWait);
    }

    /** Route call-egnyte: drops requests of deleted instances, writes the rest and classifies Egnyte's answer. */
    @BindToRegistry(value = "egnyteHttp", lazy = true)
    public EgnyteHttp egnyteHttp(@BeanInject("bridgeSettings") BridgeSettings settings,
                                 @BeanInject("egnyteRateLimiter") EgnyteRateLimiter rateLimiter,
                                 @BeanInject("instanceStore") InstanceStore instances) {
        return new EgnyteHttp(settings, rateLimiter, instances::exists);
    }

    @BindToRegistry(value = "egnyteEventsFeed", lazy = true)
    public EgnyteEventsFeed egnyteEventsFeed(@BeanInject("bridgeSettings") BridgeSettings settings,
                                             @BeanInject("pollCursors") PollCursors cursors) {
        return new EgnyteEventsFeed(settings, cursors);
    }

    @BindToRegistry(value = "dateWindow", lazy = true)
    public DateWindow dateWindow(@BeanInject("pollCursors") PollCursors cursors) {
        return new DateWindow(cursors);
    }

    @BindToRegistry(value = "datedResource", lazy = true)
    public DatedResource datedResource() {
        return new DatedResource();
    }

    /**
     * The poller pool (route step hand-to-poller-pool): {@code bridge.poller.threads} threads. Idle ones wait on the
     * pool's queue without waking (a SEDA consumer's threads woke every second each to look whether to stop).
     */
    @BindToRegistry(value = "pollerPool", lazy = true)
    public ExecutorService pollerPool(CamelContext context, @BeanInject("bridgeSettings") BridgeSettings settings) {
        ThreadPoolProfile profile = new ThreadPoolProfile("pollerPool");
        profile.setPoolSize(settings.pollerThreads());
        profile.setMaxPoolSize(settings.pollerThreads());
        profile.setMaxQueueSize(-1);
        profile.setAllowCoreThreadTimeOut(false);
        return context.getExecutorServiceManager().newThreadPool(PollerConfiguration.class, "poller", profile);
    }

    /** Route step drop-already-delivered: one insert statement (PostgreSQL) or batch (H2) per page. */
    @BindToRegistry(value = "newObjects", lazy = true)
    public NewObjects newObjects(@BeanInject("bridgeDataSource") DataSource dataSource,
                                 @BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                                 @BeanInject("bridgeMetrics") BridgeMetrics metrics) {
        return new NewObjects(SeenObjects.of(dataSource, jdbc), metrics);
    }

    /** For customized hand-offs that leave objects out (docs/customizing.md). */
    @BindToRegistry(value = "keptObjects", lazy = true)
    public KeptObjects keptObjects() {
        return new KeptObjects();
    }

    @BindToRegistry(value = "pollGaps", lazy = true)
    public PollGaps pollGaps(@BeanInject("eventGaps") EventGaps gaps,
                             @BeanInject("bridgeMetrics") BridgeMetrics metrics,
                             @BeanInject("bridgeObjectMapper") ObjectMapper mapper) {
        return new PollGaps(gaps, metrics, mapper);
    }

    @BindToRegistry(value = "notificationBatches", lazy = true)
    public NotificationBatches notificationBatches() {
        return new NotificationBatches();
    }
}
