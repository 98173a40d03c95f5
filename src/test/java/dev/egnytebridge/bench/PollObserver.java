package dev.egnytebridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.egnytebridge.poller.DuePoll;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Watches every poll as the poller pool (route {@code run-due-poll}) hands it to {@code direct:poll-instance}: when the
 * schedule planned it (the claimed {@link DuePoll}'s {@code plannedAt}, the instance's {@code next_poll_at}), when it
 * really started, how long it took, and whether two polls of one instance ever ran at once. Installed before the
 * context starts (see {@link ObserverConfiguration}), as Camel decides at start-up whether exchange events are emitted.
 */
public final class PollObserver extends EventNotifierSupport {

    /** One poll: planned and actual start (epoch ms), duration (ms), whether it failed. */
    public record Poll(long instanceId, long plannedMs, long startedMs, long durationMs, boolean failed) {
        public long lagMs() {
            return startedMs - plannedMs;
        }
    }

    /** The route of the poller pool, the only one that starts scheduled polls. */
    private static final String POLL_ENDPOINT = "direct://poll-instance";

    private static volatile PollObserver current = new PollObserver();

    private final Map<Long, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, long[]> started = new ConcurrentHashMap<>();
    private final List<Poll> polls = new ArrayList<>();
    private final LongAdder overlaps = new LongAdder();
    private final LongAdder unplanned = new LongAdder();

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
        // only route run-due-poll sends to direct:poll-instance (its exchange comes from the scheduler's wire tap, so
        // its from-route is schedule-due-polls)
        Exchange exchange = exchangeEvent.getExchange();
        if (event instanceof CamelEvent.ExchangeSendingEvent sending) {
            if (!sending.getEndpoint().getEndpointUri().startsWith(POLL_ENDPOINT)) {
                return;
            }
            long now = System.currentTimeMillis();
            dev.egnytebridge.poller.Poll poll = exchange.getProperty(dev.egnytebridge.poller.Poll.PROPERTY,
                    dev.egnytebridge.poller.Poll.class);
            DuePoll due = poll == null ? null : poll.due();
            if (due == null) {
                // the scenarios assert there are none: every poll the pool starts must say what it was planned for
                unplanned.increment();
                return;
            }
            long id = due.instanceId();
            started.put(exchange.getExchangeId(), new long[] {id, due.plannedAt().toEpochMilli(), now});
            if (inFlight.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() > 1) {
                overlaps.increment();
            }
        } else if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            if (!sent.getEndpoint().getEndpointUri().startsWith(POLL_ENDPOINT)) {
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

    /** Polls the pool started without a {@link DuePoll} in property {@code poll} (not observed otherwise). */
    public long unplanned() {
        return unplanned.sum();
    }
}
