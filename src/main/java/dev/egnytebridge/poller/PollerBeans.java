package dev.egnytebridge.poller;

import java.time.Duration;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.BridgeSettings;
import dev.egnytebridge.cluster.ClusterNode;
import dev.egnytebridge.egnyte.EgnyteHttp;
import dev.egnytebridge.egnyte.EgnyteRateLimiter;
import dev.egnytebridge.hubs.HubEvents;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.store.SeenObjects;
import dev.egnytebridge.wake.WakeableScheduler;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.Registry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** Binds the beans the poller routes call by name. */
public final class PollerBeans {

    private PollerBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings, ClusterNode node, DataSource dataSource,
                            PlatformTransactionManager transactions, JdbcTemplate jdbc, ObjectMapper mapper,
                            InstanceStore instances)
            throws Exception {
        Registry registry = context.getRegistry();
        BridgeMetrics metrics = BridgeMetrics.of(context);
        // runs schedule-due-polls (scheduler=#pollWakeup): when woken, at the next poll it was told of, and otherwise
        // every bridge.poller.idle-check-ms
        WakeableScheduler wakeup = new WakeableScheduler("schedule-due-polls",
                Duration.ofMillis(settings.pollerIdleCheckMs()));
        registry.bind("pollWakeup", wakeup);
        PollerScheduler scheduler = new PollerScheduler(jdbc, mapper, settings, wakeup);
        registry.bind("pollerScheduler", scheduler);
        // every pollable instance gets its place in the schedule (stored before the schedule existed, or its interval
        // changed with bridge.poller.min-interval-seconds); once started, so the REST API does not wait for it, and the
        // instances already in the schedule are polled meanwhile
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
        DuePolls duePolls = new DuePolls(jdbc, node, settings.pollerThreads(),
                Duration.ofSeconds(settings.pollerLeaseSeconds()), wakeup, metrics);
        registry.bind("duePolls", duePolls);
        // started with the context (releases a crashed run's claims on a single node), stopped after the routes
        context.addService(duePolls, true, true);
        PollCursors cursors = new PollCursors(jdbc);
        registry.bind("pollCursors", cursors);
        registry.bind("pollSession", new PollSession(instances, scheduler, new PollFailures(instances, scheduler, settings),
                metrics));
        // route call-egnyte: every call to Egnyte waits for its token's turn here, and is counted in the metrics
        EgnyteRateLimiter rateLimiter = new EgnyteRateLimiter(settings.egnyteRateLimitQps(), metrics::rateLimitWait);
        registry.bind("egnyteRateLimiter", rateLimiter);
        registry.bind("egnyteHttp", new EgnyteHttp(settings, rateLimiter));
        registry.bind("hubEvents", new HubEvents());
        registry.bind("egnyteEventsFeed", new EgnyteEventsFeed(settings, cursors));
        registry.bind("dateWindow", new DateWindow(cursors));
        registry.bind("datedResource", new DatedResource());
        registry.bind("seenObjects", SeenObjects.repository(dataSource, transactions));
        registry.bind("freshObjects", new FreshObjects(metrics));
        registry.bind("notificationBatches", new NotificationBatches());
    }
}
