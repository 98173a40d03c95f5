package dev.egnytebridge.delivery;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.cluster.ClusterSignals;
import dev.egnytebridge.config.BridgeSettings;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.security.CallbackAddressPolicy;
import dev.egnytebridge.wake.WakeableScheduler;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Binds the delivery beans the routes and the REST API call by name.
 * <p>
 * Three of them are services that start and stop with the context. Camel stops services in the reverse order they were
 * added, and each is added when it is made, after the beans it injects: so the sender stops first (its in-flight
 * answers still reach the attempt log), then the attempt log (it writes what it holds), then the dispatcher.
 */
public class DeliveryConfiguration implements CamelConfiguration {

    /** The scheduler the dispatch route runs on ({@code scheduler=#deliveryWakeup}); wake it when work is stored. */
    public static final String WAKEUP = "deliveryWakeup";
    /** The threads that start attempts (sign, resolve the host, hand the request to the HTTP client). */
    public static final String START_POOL = "deliveryStartPool";

    @BindToRegistry(value = WAKEUP, lazy = true)
    public WakeableScheduler deliveryWakeup(@BeanInject("bridgeSettings") BridgeSettings settings) {
        return new WakeableScheduler("dispatch-deliveries", settings.deliveryIdleCheck());
    }

    /** A probe holds its endpoint's circuit for longer than one attempt can last (twice the attempt timeout). */
    @BindToRegistry(value = "deliveryDispatcher", lazy = true)
    public DeliveryDispatcher deliveryDispatcher(CamelContext context,
                                                 @BeanInject("bridgeSettings") BridgeSettings settings,
                                                 @BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                                                 @BeanInject("instanceStore") InstanceStore instances,
                                                 @BeanInject("clusterSignals") ClusterSignals signals,
                                                 @BeanInject(WAKEUP) WakeableScheduler wakeup) throws Exception {
        Duration timeout = Duration.ofMillis(settings.deliveryTimeoutMs());
        DeliveryClaims claims = new DeliveryClaims(jdbc, instances, lease(settings), timeout.multipliedBy(2));
        DeliveryDispatcher dispatcher = new DeliveryDispatcher(claims, wakeup, settings.deliveryMaxInFlight(),
                settings.deliveryMaxInFlightPerEndpoint(), settings.deliveryBatchSize(), settings.deliveryIdleCheck());
        context.addService(dispatcher, true, true);
        signals.onSignal(ClusterSignals.DELIVERIES, dispatcher::newWork);
        context.addStartupListener(new DeliveryMeters(dispatcher, jdbc, () -> BridgeMetrics.of(context)));
        return dispatcher;
    }

    /** Writes attempt outcomes and endpoint states in batches; added as a service after the dispatcher it wakes. */
    @BindToRegistry(value = "attemptLog", lazy = true)
    public AttemptLog attemptLog(CamelContext context,
                                 @BeanInject("bridgeSettings") BridgeSettings settings,
                                 @BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                                 @BeanInject("transactionManager") PlatformTransactionManager transactionManager,
                                 @BeanInject("deliveryDispatcher") DeliveryDispatcher dispatcher) throws Exception {
        RetrySchedule schedule = RetrySchedule.parse(settings.deliveryRetrySchedule(), settings.deliveryRetryJitter());
        CircuitSettings circuit = circuit(settings);
        AttemptLog attemptLog = new AttemptLog(new AttemptOutcomes(jdbc, schedule, circuit), new EndpointStates(jdbc, circuit),
                new TransactionTemplate(transactionManager), dispatcher, () -> BridgeMetrics.of(context));
        context.addService(attemptLog, true, true);
        return attemptLog;
    }

    /** Fills the origin of deliveries stored before origins were recorded, once, when first made. */
    @BindToRegistry(value = "outbox", lazy = true)
    public Outbox outbox(@BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                         @BeanInject("deliveryDispatcher") DeliveryDispatcher dispatcher,
                         @BeanInject("clusterSignals") ClusterSignals signals) {
        Outbox outbox = new Outbox(jdbc, dispatcher::newWork, () -> signals.send(ClusterSignals.DELIVERIES));
        outbox.fillMissingOrigins();
        return outbox;
    }

    /** Injects the attempt log, though it does not use it, so the log is added as a service first and stopped after it. */
    @BindToRegistry(value = "callbackSender", lazy = true)
    public CallbackSender callbackSender(CamelContext context,
                                         @BeanInject("bridgeSettings") BridgeSettings settings,
                                         @BeanInject("callbackAddressPolicy") CallbackAddressPolicy addresses,
                                         @BeanInject("attemptLog") AttemptLog stopsAfterTheSender) throws Exception {
        CallbackSender sender = new CallbackSender(addresses, settings.deliveryTimeoutMs(),
                settings.deliveryMaxInFlightPerEndpoint());
        context.addService(sender, true, true);
        return sender;
    }

    /** Starting an attempt is short (sign, resolve, hand over): a few threads start many requests in flight. */
    @BindToRegistry(value = START_POOL, lazy = true)
    public ExecutorService deliveryStartPool(CamelContext context) {
        ThreadPoolProfile profile = new ThreadPoolProfile(START_POOL);
        profile.setPoolSize(4);
        profile.setMaxPoolSize(16);
        profile.setMaxQueueSize(-1);
        return context.getExecutorServiceManager().newThreadPool(DeliveryConfiguration.class, "delivery-start", profile);
    }

    @BindToRegistry(value = "notificationFactory", lazy = true)
    public NotificationFactory notificationFactory(@BeanInject("bridgeObjectMapper") ObjectMapper mapper,
                                                   @BeanInject("jdbcTemplate") JdbcTemplate jdbc) {
        return new NotificationFactory(mapper, new NotificationSequence(jdbc)::next);
    }

    @BindToRegistry(value = "webhookRequest", lazy = true)
    public WebhookRequest webhookRequest() {
        return new WebhookRequest();
    }

    @BindToRegistry(value = "deliveryAttempts", lazy = true)
    public AttemptRecorder deliveryAttempts(@BeanInject("attemptLog") AttemptLog attemptLog) {
        return new AttemptRecorder(attemptLog);
    }

    @BindToRegistry(value = "deliveryHistory", lazy = true)
    public DeliveryHistory deliveryHistory(@BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                                           @BeanInject("deliveryDispatcher") DeliveryDispatcher dispatcher) {
        return new DeliveryHistory(jdbc, dispatcher::newWork);
    }

    @BindToRegistry(value = "eventHistoryApi", lazy = true)
    public EventHistoryApi eventHistoryApi(@BeanInject("deliveryHistory") DeliveryHistory history,
                                           @BeanInject("instanceStore") InstanceStore instances,
                                           @BeanInject("bridgeObjectMapper") ObjectMapper mapper) {
        return new EventHistoryApi(history, instances, mapper);
    }

    @BindToRegistry(value = "activityApi", lazy = true)
    public ActivityApi activityApi(@BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                                   @BeanInject("instanceStore") InstanceStore instances,
                                   @BeanInject("bridgeObjectMapper") ObjectMapper mapper) {
        return new ActivityApi(new DeliveryActivity(jdbc), instances, mapper);
    }

    @BindToRegistry(value = "deliveryRetention", lazy = true)
    public DeliveryRetention deliveryRetention(@BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                                               @BeanInject("bridgeSettings") BridgeSettings settings) {
        return new DeliveryRetention(jdbc, Duration.ofDays(settings.retentionDays()));
    }

    /** Replay since a time, callback URL health, re-enabling disabled URLs: the requests both APIs below read. */
    @BindToRegistry(value = "deliveryRequests", lazy = true)
    public DeliveryRequests deliveryRequests(@BeanInject("bridgeObjectMapper") ObjectMapper mapper,
                                             @BeanInject("deliveryDispatcher") DeliveryDispatcher dispatcher) {
        return new DeliveryRequests(mapper, dispatcher::newWork);
    }

    @BindToRegistry(value = "eventReplayApi", lazy = true)
    public EventReplayApi eventReplayApi(@BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                                         @BeanInject("transactionManager") PlatformTransactionManager transactionManager,
                                         @BeanInject("instanceStore") InstanceStore instances,
                                         @BeanInject("deliveryRequests") DeliveryRequests requests) {
        return new EventReplayApi(new EventReplay(jdbc, new TransactionTemplate(transactionManager)), instances, requests);
    }

    @BindToRegistry(value = "callbackHealth", lazy = true)
    public CallbackHealth callbackHealth(@BeanInject("jdbcTemplate") JdbcTemplate jdbc) {
        return new CallbackHealth(jdbc);
    }

    @BindToRegistry(value = "callbackApi", lazy = true)
    public CallbackApi callbackApi(@BeanInject("callbackHealth") CallbackHealth health,
                                   @BeanInject("instanceStore") InstanceStore instances,
                                   @BeanInject("bridgeObjectMapper") ObjectMapper mapper,
                                   @BeanInject("deliveryRequests") DeliveryRequests requests) {
        return new CallbackApi(health, instances, mapper, requests);
    }

    private static CircuitSettings circuit(BridgeSettings settings) {
        return new CircuitSettings(settings.requiredInt("bridge.delivery.circuit.failures", 1),
                Duration.ofSeconds(settings.requiredInt("bridge.delivery.circuit.open-seconds", 1)),
                Duration.ofSeconds(settings.requiredInt("bridge.delivery.circuit.max-open-seconds", 1)),
                Duration.ofSeconds(settings.requiredInt("bridge.delivery.throttle.max-seconds", 0)),
                settings.requiredDuration("bridge.delivery.disable-after"));
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
