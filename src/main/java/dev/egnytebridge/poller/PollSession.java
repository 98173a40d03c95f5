package dev.egnytebridge.poller;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.instance.PollingConfiguration;
import dev.egnytebridge.instance.ResourceConfig;
import dev.egnytebridge.observe.BridgeMetrics;
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

    public static final String INSTANCE_ID = "bridgeInstanceId";
    public static final String INSTANCE = "bridgeInstance";
    public static final String RESOURCES = "bridgeResources";
    public static final String RESOURCE = "bridgeResource";
    public static final String CALLBACK_URLS = "bridgeCallbackUrls";
    public static final String POLL_STARTED = "bridgePollStarted";
    public static final String OBJECTS_FOUND = "bridgeObjectsFound";

    private static final Logger LOG = LoggerFactory.getLogger(PollSession.class);

    private final InstanceStore instances;
    private final PollerScheduler scheduler;
    private final PollFailures failures;

    public PollSession(InstanceStore instances, PollerScheduler scheduler, PollFailures failures) {
        this.instances = instances;
        this.scheduler = scheduler;
        this.failures = failures;
    }

    public static Instance instance(Exchange exchange) {
        return exchange.getProperty(INSTANCE, Instance.class);
    }

    public static ResourceConfig resource(Exchange exchange) {
        return exchange.getProperty(RESOURCE, ResourceConfig.class);
    }

    /**
     * Counts objects a reader found, for the poll's log line. The counter is one shared object: the resources are read
     * in split sub-exchanges, whose own properties do not flow back to the poll.
     */
    public static void countFound(Exchange exchange, int objects) {
        AtomicInteger found = exchange.getProperty(OBJECTS_FOUND, AtomicInteger.class);
        if (found != null) {
            found.addAndGet(objects);
        }
        BridgeMetrics.of(exchange).objectsFetched(BridgeMetrics.instanceId(exchange), objects);
    }

    /** Loads the instance named by the bridgeInstanceId header; leaves bridgeInstance unset when it must not be polled. */
    public void start(Exchange exchange) throws Exception {
        // from the header run-due-poll sets, to a property: HTTP steps clear the headers
        long id = exchange.getMessage().getHeader(INSTANCE_ID, Long.class);
        exchange.setProperty(INSTANCE_ID, id);
        MDC.put("instanceId", String.valueOf(id));
        Instant now = Instant.now();
        exchange.setProperty(POLL_STARTED, now);
        exchange.setProperty(OBJECTS_FOUND, new AtomicInteger());
        Optional<Instance> found = instances.find(id);
        if (found.isEmpty() || !found.get().pollable()) {
            LOG.info("Instance {} is gone or no longer polled; taking it out of the schedule", id);
            scheduler.unschedule(id);
            return;
        }
        Instance instance = found.get();
        if (instance.pollerState().pausedAt(now)) {
            LOG.info("Instance {} is paused until {} ({}); skipping this poll", id, instance.pollerState().pausedUntil(),
                    instance.pollerState().pausedReason());
            return;
        }
        PollingConfiguration polling = instance.polling();
        exchange.setProperty(INSTANCE, instance);
        exchange.setProperty(RESOURCES, new ArrayList<>(polling.resources().values()));
        exchange.setProperty(CALLBACK_URLS, List.copyOf(polling.callbackUrls()));
    }

    /**
     * Route steps {@code stop-if-instance-deleted}, right before each Egnyte call of a poll: a DELETE answers without
     * waiting for a running poll, which stops here instead of calling Egnyte for an instance that no longer exists.
     */
    public void stopIfDeleted(@ExchangeProperty(INSTANCE_ID) long instanceId) {
        if (!instances.exists(instanceId)) {
            throw new InstanceDeleted(instanceId);
        }
    }

    /** A poll's instance was deleted while it ran: the poll stops, and this is no failure of the instance. */
    static final class InstanceDeleted extends RuntimeException {
        InstanceDeleted(long instanceId) {
            super("Instance " + instanceId + " was deleted while it was polled", null, false, false);
        }
    }

    public void succeeded(Exchange exchange) {
        Instance instance = instance(exchange);
        Instant started = exchange.getProperty(POLL_STARTED, Instant.class);
        instances.recordPollSuccess(instance.id(), started);
        BridgeMetrics.of(exchange).pollSucceeded(instance.id(), java.time.Duration.between(started, Instant.now()));
        LOG.info("Polled instance {}: {} object(s) read in {} ms", instance.id(),
                exchange.getProperty(OBJECTS_FOUND, AtomicInteger.class), Instant.now().toEpochMilli() - started.toEpochMilli());
        MDC.remove("instanceId");
    }

    public void failed(Exchange exchange) throws Exception {
        Exception error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        long id = exchange.getProperty(INSTANCE_ID, Long.class);
        if (error instanceof InstanceDeleted || !instances.exists(id)) {
            LOG.info("Instance {} was deleted while it was polled; its poll stopped", id);
            MDC.remove("instanceId");
            return;
        }
        Instant started = exchange.getProperty(POLL_STARTED, Instant.class);
        BridgeMetrics.of(exchange).pollFailed(id, started == null ? null : java.time.Duration.between(started, Instant.now()));
        try {
            failures.handle(id, exchange.getProperty(POLL_STARTED, Instant.class), error);
        } finally {
            MDC.remove("instanceId");
        }
    }
}
