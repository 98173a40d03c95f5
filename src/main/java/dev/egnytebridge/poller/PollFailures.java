package dev.egnytebridge.poller;

import java.time.Instant;

import dev.egnytebridge.config.BridgeSettings;
import dev.egnytebridge.egnyte.EgnyteFault;
import dev.egnytebridge.instance.InstanceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed poll does to its instance. Every failure leaves the cursor where it was (the hand-off transaction
 * never committed), so the next poll reads the same events again. Failures in a row are counted, and the poller is
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
        EgnyteFault fault = egnyteFault(error);
        if (fault != null && fault.kind() == EgnyteFault.Kind.TOKEN_REJECTED) {
            // polling cannot succeed until someone re-authorizes: stop, and keep the cursor and history for then
            instances.markInvalid(instanceId, reason);
            scheduler.unschedule(instanceId);
            LOG.warn("Egnyte rejected the access token of instance {}; it is now invalid and its polling stopped. "
                    + "PATCH it with a new providerData.code to resume from where it stopped", instanceId);
            return;
        }
        if (fault != null && fault.kind() == EgnyteFault.Kind.OVER_DAILY_QUOTA) {
            Instant until = Instant.now().plus(fault.retryAfter());
            instances.pause(instanceId, until, "Egnyte's daily call quota is spent; polling resumes after " + until);
            LOG.warn("Egnyte's daily quota for instance {} is spent; pausing its polls until {}", instanceId, until);
            return;
        }
        int failures = instances.recordPollFailure(instanceId, at, reason);
        LOG.warn("Poll of instance {} failed ({} in a row): {}", instanceId, failures, reason);
        if (failures >= settings.pollerMaxConsecutiveFailures()) {
            instances.disablePoller(instanceId);
            scheduler.unschedule(instanceId);
            LOG.error("Disabled the poller of instance {} after {} failed polls in a row; PATCH the instance to re-enable it",
                    instanceId, failures);
        }
    }

    private static EgnyteFault egnyteFault(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof EgnyteFault fault) {
                return fault;
            }
        }
        return null;
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
