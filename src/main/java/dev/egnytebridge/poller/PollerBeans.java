package dev.egnytebridge.poller;

import javax.sql.DataSource;

import dev.egnytebridge.BridgeSettings;
import dev.egnytebridge.egnyte.EgnyteRateLimiter;
import dev.egnytebridge.egnyte.HubEvents;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.store.SeenObjects;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.Registry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** Binds the beans the poller routes call by name. */
public final class PollerBeans {

    private PollerBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings, DataSource dataSource,
                            PlatformTransactionManager transactions, JdbcTemplate jdbc, InstanceStore instances)
            throws Exception {
        Registry registry = context.getRegistry();
        PollerScheduler scheduler = new PollerScheduler(context, instances, jdbc, settings);
        PollCursors cursors = new PollCursors(jdbc);
        registry.bind("pollerScheduler", scheduler);
        // after a start or restart, every instance whose events are on gets its poller back from the database; only
        // once the context is fully started, since routes added while it is still starting are not started
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                scheduler.restoreAll();
            }
        });
        registry.bind("pollCursors", cursors);
        registry.bind("pollSession", new PollSession(instances, scheduler, new PollFailures(instances, scheduler, settings)));
        EgnyteRateLimiter rateLimiter = new EgnyteRateLimiter(settings.egnyteRateLimitQps());
        registry.bind("egnyteRateLimiter", rateLimiter);
        registry.bind("hubEvents", new HubEvents(settings));
        registry.bind("egnyteEventsFeed", new EgnyteEventsFeed(settings, cursors, rateLimiter));
        registry.bind("dateWindow", new DateWindow(cursors));
        registry.bind("datedResource", new DatedResource(settings));
        registry.bind("seenObjects", SeenObjects.repository(dataSource, transactions));
        registry.bind("freshObjects", new FreshObjects());
        registry.bind("notificationBatches", new NotificationBatches());
    }
}
