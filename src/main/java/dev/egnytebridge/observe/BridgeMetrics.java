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
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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

    // --- polling

    public void pollSucceeded(long instanceId, Duration took) {
        poll(instanceId, "ok", took);
    }

    public void pollFailed(long instanceId, Duration took) {
        poll(instanceId, "failed", took);
    }

    private void poll(long instanceId, String outcome, Duration took) {
        registry().counter("bridge.polls", "instance", tag(instanceId), "outcome", outcome).increment();
        if (took != null) {
            registry().timer("bridge.poll.duration", "instance", tag(instanceId), "outcome", outcome).record(took);
        }
    }

    /**
     * How late a poll started after its planned time (one timer for the node, not per instance: it measures the
     * scheduler and the poller pool, and stays one series however many instances there are).
     */
    public void pollLag(Duration lag) {
        registry().timer("bridge.poll.lag").record(lag.isNegative() ? Duration.ZERO : lag);
    }

    public void objectsFetched(Long instanceId, int count) {
        if (count > 0) {
            registry().counter("bridge.objects.fetched", "instance", tag(instanceId)).increment(count);
        }
    }

    /** Events of the instance may have been lost at Egnyte: a gap was stored. */
    public void eventGap(long instanceId) {
        registry().counter("bridge.event.gaps", "instance", tag(instanceId)).increment();
    }

    public void duplicateDropped(Long instanceId) {
        registry().counter("bridge.objects.duplicates", "instance", tag(instanceId)).increment();
    }

    /** A call to Egnyte waited {@code waited} for its token's turn (egnyte.rate-limit.qps). */
    public void rateLimitWait(Long instanceId, Duration waited) {
        if (waited != null && !waited.isZero() && !waited.isNegative()) {
            registry().timer("bridge.egnyte.rate_limit.wait", "instance", tag(instanceId)).record(waited);
        }
    }

    // --- delivery

    /**
     * One delivery attempt settled: {@code outcome} is the delivery's new status (DELIVERED, RETRYING, FAILED, GONE),
     * counted as {@code bridge.notifications} with outcome sent, retried, failed or gone.
     */
    public void deliveryAttempt(long instanceId, String status, long durationMs, String body) {
        String outcome = switch (status) {
            case "DELIVERED" -> "sent";
            case "RETRYING" -> "retried";
            case "FAILED" -> "failed";
            case "GONE" -> "gone";
            default -> status.toLowerCase(java.util.Locale.ROOT);
        };
        registry().counter("bridge.notifications", "instance", tag(instanceId), "outcome", outcome).increment();
        registry().timer("bridge.delivery.latency", "instance", tag(instanceId), "outcome", outcome)
                .record(Math.max(0, durationMs), TimeUnit.MILLISECONDS);
        if ("DELIVERED".equals(status)) {
            newestEventDate(body).ifPresent(date -> delivered(instanceId, date));
        }
    }

    /** Lag of an instance: now minus the date of the newest event delivered for it, in seconds. */
    void delivered(long instanceId, Instant eventDate) {
        AtomicLong newest = newestDelivered.computeIfAbsent(instanceId, id -> {
            AtomicLong holder = new AtomicLong(Long.MIN_VALUE);
            Gauge.builder("bridge.instance.lag", holder, h -> h.get() == Long.MIN_VALUE ? Double.NaN
                            : Math.max(0, System.currentTimeMillis() - h.get()) / 1000.0)
                    .baseUnit("seconds")
                    .description("now minus the date of the newest event delivered for the instance")
                    .tag("instance", tag(id))
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
