package dev.egnytebridge.delivery;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.BridgeSettings;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Binds the delivery beans the routes and the REST API call by name. */
public final class DeliveryBeans {

    /** The bounded pool the dispatch route splits deliveries onto ({@code executorService} in the route). */
    public static final String THREAD_POOL = "deliveryThreadPool";

    private DeliveryBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings, JdbcTemplate jdbc, ObjectMapper mapper) {
        Registry registry = context.getRegistry();
        InstanceStore instances = registry.lookupByNameAndType("instanceStore", InstanceStore.class);
        if (instances == null) {
            throw new IllegalStateException("Bind instanceStore before the delivery beans");
        }
        RetrySchedule schedule = RetrySchedule.parse(settings.deliveryRetrySchedule(), settings.deliveryRetryJitter());
        Outbox outbox = new Outbox(jdbc, instances, schedule, lease(settings));

        int concurrency = settings.deliveryMaxConcurrency();
        ThreadPoolProfile profile = new ThreadPoolProfile(THREAD_POOL);
        profile.setPoolSize(concurrency);
        profile.setMaxPoolSize(concurrency);
        profile.setMaxQueueSize(concurrency * 10);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
        // Camel owns the pool's lifecycle: it is shut down with the context, after the routes
        ExecutorService pool = context.getExecutorServiceManager().newThreadPool(DeliveryBeans.class, "delivery", profile);
        registry.bind(THREAD_POOL, pool);

        registry.bind("notificationFactory", new NotificationFactory(mapper));
        registry.bind("outbox", outbox);
        registry.bind("deliveryDispatcher",
                new DeliveryDispatcher(outbox, (ThreadPoolExecutor) pool, settings.deliveryBatchSize(), concurrency));
        registry.bind("webhookRequest", new WebhookRequest());
        registry.bind("webhookHttpClient", new WebhookHttpClient());
        registry.bind("deliveryAttempts", new AttemptRecorder(outbox));
        DeliveryHistory history = new DeliveryHistory(jdbc);
        registry.bind("deliveryHistory", history);
        registry.bind("eventHistoryApi", new EventHistoryApi(history, instances, mapper));
        registry.bind("deliveryRetention", new DeliveryRetention(jdbc, Duration.ofDays(settings.retentionDays())));

        // --- issue 12 (API side): replay since a time, callback URL health, re-enabling disabled URLs.
        // Self-contained: needs only instanceStore, transactionManager, the JdbcTemplate and the mapper; wakes the
        // dispatcher through bean "deliveryWakeup", looked up at call time (skipped while it is not bound).
        bindReplayAndCallbacks(registry, instances, jdbc, mapper);
    }

    /** The beans of issue 12's API side: {@code eventReplayApi}, {@code callbackHealth} and {@code callbackApi}. */
    static void bindReplayAndCallbacks(Registry registry, InstanceStore instances, JdbcTemplate jdbc, ObjectMapper mapper) {
        PlatformTransactionManager transactions = registry.lookupByNameAndType("transactionManager",
                PlatformTransactionManager.class);
        if (transactions == null) {
            throw new IllegalStateException("Bind transactionManager before the delivery beans");
        }
        DeliveryRequests requests = new DeliveryRequests(mapper, registry);
        registry.bind("eventReplayApi", new EventReplayApi(
                new EventReplay(jdbc, new TransactionTemplate(transactions)), instances, requests));
        CallbackHealth health = new CallbackHealth(jdbc);
        registry.bind("callbackHealth", health);
        registry.bind("callbackApi", new CallbackApi(health, instances, mapper, requests));
    }

    /**
     * The lease of a claimed delivery. It must outlive the longest attempt (connect plus response timeout), so only a
     * dead node's deliveries are ever claimed again: a shorter lease would send a live attempt twice.
     */
    static Duration lease(BridgeSettings settings) {
        Duration longestAttempt = Duration.ofMillis(2L * settings.deliveryTimeoutMs());
        Duration lease = Duration.ofSeconds(settings.deliveryLeaseSeconds());
        if (lease.compareTo(longestAttempt) <= 0) {
            throw new IllegalArgumentException("Property bridge.delivery.lease-seconds (" + lease.toSeconds()
                    + ") must be longer than twice bridge.delivery.timeout-ms (" + longestAttempt.toMillis() + " ms)");
        }
        return lease;
    }
}
