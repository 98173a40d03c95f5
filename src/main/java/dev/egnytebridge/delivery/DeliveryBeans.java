package dev.egnytebridge.delivery;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.BridgeSettings;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.security.CallbackAddressPolicy;
import dev.egnytebridge.wake.WakeableScheduler;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.ThreadPoolProfile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Binds the delivery beans the routes and the REST API call by name. */
public final class DeliveryBeans {

    /** The scheduler the dispatch route runs on ({@code scheduler=#deliveryWakeup}); wake it when work is stored. */
    public static final String WAKEUP = "deliveryWakeup";
    /** The threads that start attempts (sign, resolve the host, hand the request to the HTTP client). */
    public static final String START_POOL = "deliveryStartPool";

    private DeliveryBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings, JdbcTemplate jdbc, ObjectMapper mapper,
                            PlatformTransactionManager transactionManager) throws Exception {
        Registry registry = context.getRegistry();
        InstanceStore instances = required(registry, "instanceStore", InstanceStore.class);
        CallbackAddressPolicy addresses = required(registry, "callbackAddressPolicy", CallbackAddressPolicy.class);
        RetrySchedule schedule = RetrySchedule.parse(settings.deliveryRetrySchedule(), settings.deliveryRetryJitter());
        Duration timeout = Duration.ofMillis(settings.deliveryTimeoutMs());
        int perEndpoint = settings.deliveryMaxInFlightPerEndpoint();
        CircuitSettings circuit = new CircuitSettings(settings.requiredInt("bridge.delivery.circuit.failures", 1),
                Duration.ofSeconds(settings.requiredInt("bridge.delivery.circuit.open-seconds", 1)),
                Duration.ofSeconds(settings.requiredInt("bridge.delivery.circuit.max-open-seconds", 1)),
                Duration.ofSeconds(settings.requiredInt("bridge.delivery.throttle.max-seconds", 0)),
                settings.requiredDuration("bridge.delivery.disable-after"));

        WakeableScheduler wakeup = new WakeableScheduler("dispatch-deliveries", settings.deliveryIdleCheck());
        registry.bind(WAKEUP, wakeup);
        // a probe holds its endpoint's circuit for longer than one attempt can last
        DeliveryClaims claims = new DeliveryClaims(jdbc, instances, lease(settings), timeout.multipliedBy(2));
        DeliveryDispatcher dispatcher = new DeliveryDispatcher(claims, wakeup, settings.deliveryMaxInFlight(), perEndpoint,
                settings.deliveryBatchSize(), settings.deliveryIdleCheck());
        Outbox outbox = new Outbox(jdbc, wakeup);
        outbox.fillMissingOrigins();
        CallbackSender sender = new CallbackSender(addresses, timeout.toMillis(), perEndpoint);
        AttemptLog attemptLog = new AttemptLog(new AttemptOutcomes(jdbc, schedule, circuit), new EndpointStates(jdbc, circuit),
                new TransactionTemplate(transactionManager), dispatcher,
                () -> BridgeMetrics.of(context));
        // Camel stops services after the routes, in reverse order: the log outlives the sender, the dispatcher both
        context.addService(dispatcher, true, true);
        context.addService(attemptLog, true, true);
        context.addService(sender, true, true);
        context.addStartupListener(new DeliveryMeters(dispatcher, jdbc, () -> BridgeMetrics.of(context)));

        // starting an attempt is short (sign, resolve, hand over): a few threads start many requests in flight
        ThreadPoolProfile profile = new ThreadPoolProfile(START_POOL);
        profile.setPoolSize(4);
        profile.setMaxPoolSize(16);
        profile.setMaxQueueSize(-1);
        registry.bind(START_POOL, context.getExecutorServiceManager().newThreadPool(DeliveryBeans.class, "delivery-start", profile));

        registry.bind("notificationFactory", new NotificationFactory(mapper, new NotificationSequence(jdbc)::next));
        registry.bind("outbox", outbox);
        registry.bind("deliveryDispatcher", dispatcher);
        registry.bind("webhookRequest", new WebhookRequest());
        registry.bind("callbackSender", sender);
        registry.bind("deliveryAttempts", new AttemptRecorder(attemptLog));
        DeliveryHistory history = new DeliveryHistory(jdbc, dispatcher::newWork);
        registry.bind("deliveryHistory", history);
        registry.bind("eventHistoryApi", new EventHistoryApi(history, instances, mapper));
        registry.bind("deliveryRetention", new DeliveryRetention(jdbc, Duration.ofDays(settings.retentionDays())));

        // replay since a time, callback URL health, re-enabling disabled URLs
        DeliveryRequests requests = new DeliveryRequests(mapper, dispatcher::newWork);
        registry.bind("eventReplayApi", new EventReplayApi(
                new EventReplay(jdbc, new TransactionTemplate(transactionManager)), instances, requests));
        CallbackHealth health = new CallbackHealth(jdbc);
        registry.bind("callbackHealth", health);
        registry.bind("callbackApi", new CallbackApi(health, instances, mapper, requests));
    }

    private static <T> T required(Registry registry, String name, Class<T> type) {
        T bean = registry.lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("Bind " + name + " before the delivery beans");
        }
        return bean;
    }

    /**
     * The lease of a claimed delivery. It must outlive the longest wait of a leased delivery (one attempt of the
     * deliveries ahead of it at its endpoint, then its own), so only a dead node's deliveries are ever claimed again:
     * a shorter lease would send a live attempt twice.
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
