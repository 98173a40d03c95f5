package dev.egnytebridge.observe;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;

/**
 * The bridge's own counters and timers, in the Micrometer registry Camel serves at {@code /observe/metrics}
 * ({@code metricsRegistry}, made by camel-micrometer-prometheus), or in the host's registry when embedded. Beans that
 * record get it in their constructor ({@link #of(CamelContext)}); it finds its registry at the first record, once Camel
 * made it. Instance ids are tags: one series per instance and outcome, which stays small for the number of instances
 * one bridge polls.
 */
public class BridgeMetrics {

    public static final String BEAN = "bridgeMetrics";
    /** Used where no bridge is bound (unit tests of single beans): counts into a registry nobody reads. */
    private static final BridgeMetrics DETACHED = new BridgeMetrics(null);

    private final CamelContext context;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Long, AtomicLong> newestDelivered = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    public BridgeMetrics(CamelContext context) {
        this.context = context;
    }

    /** The bridge's metrics of this context; never null. */
    public static BridgeMetrics of(CamelContext context) {
        if (context == null) {
            return DETACHED;
        }
        BridgeMetrics metrics = context.getRegistry().lookupByNameAndType(BEAN, BridgeMetrics.class);
        return metrics == null ? DETACHED : metrics;
    }

    /**
     * The registry: Camel's {@code metricsRegistry} once camel-micrometer-prometheus made it (it does so while the
     * context starts, after the beans are bound), else the only MeterRegistry bound, else a private one.
     */
    public MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            synchronized (this) {
                r = registry;
                if (r == null) {
                    r = context == null ? null : context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
                    if (r == null && context != null) {
                        r = context.getRegistry().findSingleByType(MeterRegistry.class);
                    }
                    registry = r = r != null ? r : new SimpleMeterRegistry();
                }
            }
        }
        return r;
    }

    // --- what every meter says about itself: the HELP line of its family on /observe/metrics

    /** The per-instance tag; not {@code instance}, which Prometheus sets on every series to the scraped target. */
    public static final String INSTANCE_ID = "instance_id";
    static final String POLLS = "polls of the instance, by outcome (ok, failed)";
    static final String POLL_DURATION = "time one poll of the instance took, by outcome";
    static final String POLL_LAG = "how late polls started after their planned time (scheduler and poller pool keeping up)";
    static final String OBJECTS_FETCHED = "objects read from Egnyte for the instance, before duplicates are dropped";
    static final String OBJECTS_DUPLICATES = "objects of the instance dropped because they were already handed to delivery";
    static final String EVENT_GAPS = "times events of the instance may have been lost at Egnyte (a gap was stored)";
    static final String RATE_LIMIT_WAIT = "time calls to Egnyte for the instance waited for their token's turn";
    static final String NOTIFICATIONS = "delivery attempts of the instance's notifications, by outcome (sent, retried, failed, gone)";
    static final String DELIVERY_LATENCY = "duration of each delivery attempt on this node, by outcome";
    static final String INSTANCE_LAG = "now minus the date of the newest event delivered for the instance";
    static final String PUSH_TO_DELIVERY = "from a push of Egnyte's webhook to the delivery of each notification the poll it "
            + "brought found (webhooks mode), on the node that delivered it";
    static final String PUSHES = "pushes of Egnyte's webhook admitted for the instance (each makes it due for a poll, coalesced)";
    static final String PUSHES_REJECTED = "pushes to the receiver rejected, by reason (unknown_key: 404, bad_auth: 401)";
    /** Why the push receiver rejects a push, each a series of bridge_push_rejected_total from the start. */
    public static final java.util.List<String> PUSH_REJECTIONS = java.util.List.of("unknown_key", "bad_auth");
    /** Outcomes of a delivery attempt, each a series of bridge_delivery_latency_seconds from the start. */
    static final java.util.List<String> DELIVERY_OUTCOMES = java.util.List.of("sent", "retried", "failed", "gone");
    /** Poll lag buckets: a healthy node starts polls within a second; minutes mean the pool cannot keep up. */
    private static final Duration[] POLL_LAG_BUCKETS = seconds(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300);
    /** Delivery latency buckets, up to the longest attempt timeout one would configure. */
    private static final Duration[] DELIVERY_LATENCY_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
    /** Push-to-delivery buckets: a second or two is the aim; minutes mean the budget's spacing or a slow receiver. */
    private static final Duration[] PUSH_TO_DELIVERY_BUCKETS = seconds(0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900);

    /**
     * Registers, at zero, the meters that have no per-instance tag, so every such series is there from the start
     * (Prometheus alerts on an absent series cannot tell "nothing yet" from "broken"). Called once Camel's registry
     * exists; per-instance meters appear with their instance's first poll, call or delivery.
     */
    public void registerNodeMeters() {
        pollLagTimer();
        for (String outcome : DELIVERY_OUTCOMES) {
            deliveryLatencyTimer(outcome);
        }
        for (String reason : PUSH_REJECTIONS) {
            pushRejectedCounter(reason);
        }
        pushToDeliveryTimer();
    }

    // --- Egnyte's webhooks

    public void pushReceived(long instanceId) {
        Counter.builder("bridge.push.received").description(PUSHES).tag(INSTANCE_ID, tag(instanceId))
                .register(registry()).increment();
    }

    public void pushToDelivery(Duration latency) {
        pushToDeliveryTimer().record(latency.isNegative() ? Duration.ZERO : latency);
    }

    private Timer pushToDeliveryTimer() {
        return Timer.builder("bridge.push.to.delivery").description(PUSH_TO_DELIVERY)
                .serviceLevelObjectives(PUSH_TO_DELIVERY_BUCKETS).register(registry());
    }

    /** @param reason one of {@link #PUSH_REJECTIONS} */
    public void pushRejected(String reason) {
        pushRejectedCounter(reason).increment();
    }

    private Counter pushRejectedCounter(String reason) {
        return Counter.builder("bridge.push.rejected").description(PUSHES_REJECTED).tag("reason", reason)
                .register(registry());
    }

    // --- polling

    public void pollSucceeded(long instanceId, Duration took) {
        poll(instanceId, "ok", took);
    }

    public void pollFailed(long instanceId, Duration took) {
        poll(instanceId, "failed", took);
    }

    private void poll(long instanceId, String outcome, Duration took) {
        Counter.builder("bridge.polls").description(POLLS).tags(INSTANCE_ID, tag(instanceId), "outcome", outcome)
                .register(registry()).increment();
        if (took != null) {
            Timer.builder("bridge.poll.duration").description(POLL_DURATION)
                    .tags(INSTANCE_ID, tag(instanceId), "outcome", outcome).register(registry()).record(took);
        }
    }

    /**
     * How late a poll started after its planned time (one histogram for the node, not per instance: it measures the
     * scheduler and the poller pool, and stays one series however many instances there are).
     */
    public void pollLag(Duration lag) {
        pollLagTimer().record(lag.isNegative() ? Duration.ZERO : lag);
    }

    private Timer pollLagTimer() {
        return Timer.builder("bridge.poll.lag").description(POLL_LAG).serviceLevelObjectives(POLL_LAG_BUCKETS)
                .register(registry());
    }

    public void objectsFetched(Long instanceId, int count) {
        if (count > 0) {
            Counter.builder("bridge.objects.fetched").description(OBJECTS_FETCHED).tag(INSTANCE_ID, tag(instanceId))
                    .register(registry()).increment(count);
        }
    }

    /** Events of the instance may have been lost at Egnyte: a gap was stored. */
    public void eventGap(long instanceId) {
        Counter.builder("bridge.event.gaps").description(EVENT_GAPS).tag(INSTANCE_ID, tag(instanceId))
                .register(registry()).increment();
    }

    public void duplicateDropped(Long instanceId) {
        Counter.builder("bridge.objects.duplicates").description(OBJECTS_DUPLICATES).tag(INSTANCE_ID, tag(instanceId))
                .register(registry()).increment();
    }

    /** A call to Egnyte waited {@code waited} for its token's turn (egnyte.rate-limit.qps). */
    public void rateLimitWait(Long instanceId, Duration waited) {
        if (waited != null && !waited.isZero() && !waited.isNegative()) {
            Timer.builder("bridge.egnyte.rate_limit.wait").description(RATE_LIMIT_WAIT)
                    .tag(INSTANCE_ID, tag(instanceId)).register(registry()).record(waited);
        }
    }

    // --- delivery

    /**
     * One delivery attempt settled: {@code outcome} is the delivery's new status (DELIVERED, RETRYING, FAILED, GONE),
     * counted as {@code bridge.notifications} with outcome sent, retried, failed or gone. Its duration goes to a
     * histogram of the node by outcome only: buckets per instance would multiply the series by the instances.
     * {@code newestEventAt} (the newest date among the notification's events, found when it was built) moves the
     * instance's lag; {@code body} is read for it only when that is null (a notification stored by an older version).
     */
    public void deliveryAttempt(long instanceId, String status, long durationMs, Instant newestEventAt, String body) {
        String outcome = switch (status) {
            case "DELIVERED" -> "sent";
            case "RETRYING" -> "retried";
            case "FAILED" -> "failed";
            case "GONE" -> "gone";
            default -> status.toLowerCase(java.util.Locale.ROOT);
        };
        Counter.builder("bridge.notifications").description(NOTIFICATIONS)
                .tags(INSTANCE_ID, tag(instanceId), "outcome", outcome).register(registry()).increment();
        deliveryLatencyTimer(outcome).record(Math.max(0, durationMs), TimeUnit.MILLISECONDS);
        if ("DELIVERED".equals(status)) {
            if (newestEventAt != null) {
                delivered(instanceId, newestEventAt);
            } else {
                newestEventDate(body).ifPresent(date -> delivered(instanceId, date));
            }
        }
    }

    private Timer deliveryLatencyTimer(String outcome) {
        return Timer.builder("bridge.delivery.latency").description(DELIVERY_LATENCY).tag("outcome", outcome)
                .serviceLevelObjectives(DELIVERY_LATENCY_BUCKETS).register(registry());
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return durations;
    }

    /** Lag of an instance: now minus the date of the newest event delivered for it, in seconds. */
    void delivered(long instanceId, Instant eventDate) {
        AtomicLong newest = newestDelivered.computeIfAbsent(instanceId, id -> {
            AtomicLong holder = new AtomicLong(Long.MIN_VALUE);
            Gauge.builder("bridge.instance.lag", holder, h -> h.get() == Long.MIN_VALUE ? Double.NaN
                            : Math.max(0, System.currentTimeMillis() - h.get()) / 1000.0)
                    .baseUnit("seconds")
                    .description(INSTANCE_LAG)
                    .tag(INSTANCE_ID, tag(id))
                    .register(registry());
            return holder;
        });
        newest.accumulateAndGet(eventDate.toEpochMilli(), Math::max);
    }

    /** The latest {@code message.events[].date} of a notification body, if any is readable. */
    java.util.Optional<Instant> newestEventDate(String body) {
        if (body == null) {
            return java.util.Optional.empty();
        }
        Instant newest = null;
        try {
            for (JsonNode event : mapper.readTree(body).path("message").path("events")) {
                String date = event.path("date").asText(null);
                if (date != null) {
                    Instant at = Instant.parse(date);
                    newest = newest == null || at.isAfter(newest) ? at : newest;
                }
            }
        } catch (java.io.IOException | DateTimeParseException unreadable) {
            // a body someone reshaped (see docs/customizing.md) may have no dates: no lag then
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(newest);
    }

    private static String tag(Long instanceId) {
        return instanceId == null ? "none" : String.valueOf(instanceId);
    }
}
