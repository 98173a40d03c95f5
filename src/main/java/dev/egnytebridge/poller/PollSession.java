package dev.egnytebridge.poller;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.instance.PollingConfiguration;
import dev.egnytebridge.instance.ResourceConfig;
import dev.egnytebridge.observe.BridgeMetrics;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The start and the end of one poll of one instance: loads the instance and what to poll, and afterwards records the
 * outcome on the instance (a failed poll never moves a cursor; after too many failures in a row the poller is
 * disabled, as Cloud Elements does).
 */
public class PollSession {

    private static final Logger LOG = LoggerFactory.getLogger(PollSession.class);

    private final InstanceStore instances;
    private final PollerScheduler scheduler;
    private final PollFailures failures;
    private final BridgeMetrics metrics;

    public PollSession(InstanceStore instances, PollerScheduler scheduler, PollFailures failures, BridgeMetrics metrics) {
        this.instances = instances;
        this.scheduler = scheduler;
        this.failures = failures;
        this.metrics = metrics;
    }

    /**
     * Step {@code load-instance}: loads the instance the poll is for, and what to poll; leaves {@link Poll#instance()}
     * null when it must not be polled (gone, no longer polled, paused).
     */
    public void start(@ExchangeProperty(Poll.PROPERTY) Poll poll) {
        long id = poll.instanceId();
        MDC.put("instanceId", String.valueOf(id));
        Optional<Instance> found = instances.find(id);
        if (found.isEmpty() || !found.get().pollable()) {
            LOG.info("Instance {} is gone or no longer polled; taking it out of the schedule", id);
            scheduler.unschedule(id);
            return;
        }
        Instance instance = found.get();
        if (instance.pollerState().pausedAt(poll.startedAt())) {
            LOG.info("Instance {} is paused until {} ({}); skipping this poll", id, instance.pollerState().pausedUntil(),
                    instance.pollerState().pausedReason());
            return;
        }
        PollingConfiguration polling = instance.polling();
        poll.loaded(instance, List.copyOf(polling.resources().values()), List.copyOf(polling.callbackUrls()));
    }

    /** Step {@code name-the-resource}: the resource of the split is the one the next steps read. */
    public void readResource(@Body ResourceConfig resource, @ExchangeProperty(Poll.PROPERTY) Poll poll) {
        poll.read(resource);
    }

    /** Steps {@code count-*}: counts the objects a page brought, for the poll's log line and metrics. */
    public void countFound(@Body List<PolledObject> objects, @ExchangeProperty(Poll.PROPERTY) Poll poll) {
        poll.found(objects.size());
        metrics.objectsFetched(poll.instanceId(), objects.size());
    }

    /** Step {@code record-poll-success}. */
    public void succeeded(@ExchangeProperty(Poll.PROPERTY) Poll poll) {
        Instant started = poll.startedAt();
        instances.recordPollSuccess(poll.instanceId(), started);
        metrics.pollSucceeded(poll.instanceId(), Duration.between(started, Instant.now()));
        LOG.info("Polled instance {}: {} object(s) read in {} ms", poll.instanceId(), poll.objectsFound(),
                Instant.now().toEpochMilli() - started.toEpochMilli());
        MDC.remove("instanceId");
    }

    /**
     * Step {@code hold-the-instance} of the hand-off, first in its transaction: the instance stays until the hand-off
     * commits (a DELETE waits, then removes what it stored too). A deleted instance stops the poll: nothing is stored.
     */
    public void holdInstance(@ExchangeProperty(Poll.PROPERTY) Poll poll) {
        if (!instances.lock(poll.instanceId())) {
            throw new IllegalStateException("Instance " + poll.instanceId() + " was deleted during its poll: nothing stored");
        }
    }

    /** Step {@code record-poll-failure}: whatever failed, counted on the instance; Egnyte's faults are acted on. */
    public void failed(@ExchangeProperty(Poll.PROPERTY) Poll poll,
                       @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception error) throws Exception {
        // its requests stop once the instance is gone (call-egnyte's stop-if-instance-deleted): no failure of it
        if (!instances.exists(poll.instanceId())) {
            LOG.info("Instance {} was deleted while it was polled; its poll stopped", poll.instanceId());
            MDC.remove("instanceId");
            return;
        }
        Instant started = poll.startedAt();
        metrics.pollFailed(poll.instanceId(), Duration.between(started, Instant.now()));
        try {
            failures.handle(poll.instanceId(), started, error);
        } finally {
            MDC.remove("instanceId");
        }
    }
}
