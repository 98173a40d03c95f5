package dev.egnytebridge.poller;

import java.time.Instant;

import dev.egnytebridge.BridgeSettings;
import dev.egnytebridge.instance.InstanceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed poll does to its instance. Every failure leaves the cursor where it was (the hand-off transaction
 * never committed), so the next tick reads the same events again. Failures in a row are counted, and the poller is
 * disabled after {@code bridge.poller.max-consecutive-failures} of them until the instance is PATCHed.
 */
public class PollFailures {

    private static final Logger LOG = LoggerFactory.getLogger(PollFailures.class);

    private final InstanceStore instances;
    private final PollerScheduler scheduler;
    private final BridgeSettings settings;

    public PollFailures(InstanceStore instances, PollerScheduler scheduler, BridgeSettings settings) {
        this.instances = instances;
        this.scheduler = scheduler;
        this.settings = settings;
    }

    public void handle(long instanceId, Instant pollStarted, Exception error) throws Exception {
        Instant at = pollStarted == null ? Instant.now() : pollStarted;
        String reason = describe(error);
        int failures = instances.recordPollFailure(instanceId, at, reason);
        LOG.warn("Poll of instance {} failed ({} in a row): {}", instanceId, failures, reason);
        if (failures >= settings.pollerMaxConsecutiveFailures()) {
            instances.disablePoller(instanceId);
            scheduler.unschedule(instanceId);
            LOG.error("Disabled the poller of instance {} after {} failed polls in a row; PATCH the instance to re-enable it",
                    instanceId, failures);
        }
    }

    /** A one-line, secret-free description of a failure. */
    static String describe(Exception error) {
        if (error == null) {
            return "unknown error";
        }
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
