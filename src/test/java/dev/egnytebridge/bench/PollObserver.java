package dev.egnytebridge.bench;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Watches every poll as the per-instance poller routes hand it to {@code direct:poll-instance}: when Quartz planned
 * it ({@code scheduledFireTime}), when it really started, how long it took, and whether two polls of one instance
 * ever ran at once. Installed before the context starts (see {@link ObserverConfiguration}), as Camel decides at start-up whether
 * exchange events are emitted.
 */
public final class PollObserver extends EventNotifierSupport {

    /** One poll: planned and actual start (epoch ms), duration (ms), whether it failed. */
    public record Poll(long instanceId, long plannedMs, long startedMs, long durationMs, boolean failed) {
        public long lagMs() {
            return startedMs - plannedMs;
        }
    }

    private static volatile PollObserver current = new PollObserver();

    private final Map<Long, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, long[]> started = new ConcurrentHashMap<>();
    private final List<Poll> polls = new ArrayList<>();
    private final LongAdder overlaps = new LongAdder();

    public static PollObserver current() {
        return current;
    }


    /** Called from the scenario's Camel configuration, before the context starts. */
    public static PollObserver installIn(CamelContext context) {
        PollObserver observer = new PollObserver();
        current = observer;
        context.getManagementStrategy().addEventNotifier(observer);
        return observer;
    }

    public PollObserver() {
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeSendingEvent || event instanceof CamelEvent.ExchangeSentEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeEvent exchangeEvent)) {
            return;
        }
        Exchange exchange = exchangeEvent.getExchange();
        String from = exchange.getFromRouteId();
        if (from == null || !from.startsWith("poll-instance-")) {
            return;
        }
        if (event instanceof CamelEvent.ExchangeSendingEvent sending) {
            if (!sending.getEndpoint().getEndpointUri().startsWith("direct://poll-instance")) {
                return;
            }
            long id = Long.parseLong(from.substring("poll-instance-".length()));
            Date planned = exchange.getMessage().getHeader("scheduledFireTime", Date.class);
            long now = System.currentTimeMillis();
            started.put(exchange.getExchangeId(), new long[] {id, planned == null ? now : planned.getTime(), now});
            if (inFlight.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() > 1) {
                overlaps.increment();
            }
        } else if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            if (!sent.getEndpoint().getEndpointUri().startsWith("direct://poll-instance")) {
                return;
            }
            long[] s = started.remove(exchange.getExchangeId());
            if (s == null) {
                return;
            }
            inFlight.get(s[0]).decrementAndGet();
            Poll poll = new Poll(s[0], s[1], s[2], System.currentTimeMillis() - s[2], exchange.isFailed());
            synchronized (polls) {
                polls.add(poll);
            }
        }
    }

    public List<Poll> polls() {
        synchronized (polls) {
            return List.copyOf(polls);
        }
    }

    public long overlaps() {
        return overlaps.sum();
    }
}
