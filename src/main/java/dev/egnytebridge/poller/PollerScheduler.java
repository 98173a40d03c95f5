package dev.egnytebridge.poller;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.egnytebridge.BridgeSettings;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.store.SeenObjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps each instance's place in the poll schedule (element_instance.next_poll_at and poll_interval_ms) in step with
 * the instance: scheduled when its events are turned on, polled at once when its interval changes, taken out when it
 * is deleted or its events, validity or poller are turned off. The schedule is served by {@link DuePolls}; a change
 * made here is one UPDATE and is seen by every node at its next look.
 */
public class PollerScheduler {

    /** Egnyte asks integrations to poll every 5 minutes or less often. */
    static final Duration EGNYTE_RECOMMENDED_INTERVAL = Duration.ofMinutes(5);
    /** How long deleting an instance waits for a running poll of it to end. */
    static final Duration REMOVE_WAITS_FOR_POLL = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(PollerScheduler.class);

    private final InstanceStore instances;
    private final JdbcTemplate jdbc;
    private final BridgeSettings settings;

    public PollerScheduler(InstanceStore instances, JdbcTemplate jdbc, BridgeSettings settings) {
        this.instances = instances;
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /**
     * Brings every pollable instance's schedule in line with this node's settings (at start: the minimum interval may
     * have changed, and instances stored before the schedule existed have no place in it yet).
     */
    public int scheduleAll() {
        List<Instance> pollable = instances.findPollable();
        int changed = 0;
        for (Instance instance : pollable) {
            if (schedule(instance)) {
                changed++;
            }
        }
        LOG.info("{} instance(s) are polled; {} of them (re)scheduled now", pollable.size(), changed);
        return changed;
    }

    /** Brings an instance's place in the schedule in line with the instance as it is now. */
    public void refresh(Instance instance) {
        if (!instance.pollable()) {
            unschedule(instance.id());
            return;
        }
        schedule(instance);
    }

    /** Schedules a pollable instance: a new one, or one whose interval changed, is due at once. */
    private boolean schedule(Instance instance) {
        long intervalMs = effectiveInterval(instance).toMillis();
        int updated = jdbc.update("UPDATE element_instance SET next_poll_at = ?, poll_interval_ms = ? WHERE id = ? "
                        + "AND (next_poll_at IS NULL OR poll_interval_ms IS NULL OR poll_interval_ms <> ?)",
                now(), intervalMs, instance.id(), intervalMs);
        if (updated > 0) {
            LOG.info("Polling instance {} every {} s", instance.id(), intervalMs / 1000.0);
            if (intervalMs < EGNYTE_RECOMMENDED_INTERVAL.toMillis()) {
                LOG.warn("Instance {} polls every {} s; Egnyte asks for 5 minutes or more", instance.id(), intervalMs / 1000.0);
            }
        }
        return updated > 0;
    }

    /**
     * Takes the instance out of the schedule without forgetting anything (events off, token rejected, too many
     * failures). A poll of it already running finishes, and does not put it back (see DuePolls.settle).
     */
    public void unschedule(long instanceId) {
        if (jdbc.update("UPDATE element_instance SET next_poll_at = NULL WHERE id = ? AND next_poll_at IS NOT NULL",
                instanceId) > 0) {
            LOG.info("Stopped polling instance {}", instanceId);
        }
    }

    /**
     * Stops an instance's polls for good and forgets what it delivered (the instance is being deleted). Waits a little
     * for a poll of it that is running (on any node) to end, so that Egnyte sees no call for a deleted instance after
     * the DELETE has answered; a poll still running after that stops at its next page, whose hand-off finds the
     * instance gone.
     */
    public void remove(long instanceId) throws InterruptedException {
        unschedule(instanceId);
        long deadline = System.nanoTime() + REMOVE_WAITS_FOR_POLL.toNanos();
        while (isClaimed(instanceId) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        SeenObjects.forgetInstance(jdbc, instanceId);
    }

    private boolean isClaimed(long instanceId) {
        return !jdbc.queryForList("SELECT id FROM element_instance WHERE id = ? AND poll_lease_owner IS NOT NULL "
                + "AND poll_lease_until > ?", Long.class, instanceId, now()).isEmpty();
    }

    public boolean isScheduled(long instanceId) {
        return scheduledIntervalMs(instanceId) != null;
    }

    /** The interval the instance is polled at, or null when it is not polled. */
    public Long scheduledIntervalMs(long instanceId) {
        return jdbc.query("SELECT poll_interval_ms FROM element_instance WHERE id = ? AND next_poll_at IS NOT NULL",
                (rs, row) -> rs.getLong(1), instanceId).stream().findFirst().orElse(null);
    }

    /** When the instance's next poll is due, or null when it is not polled. */
    public Instant nextPollAt(long instanceId) {
        return jdbc.query("SELECT next_poll_at FROM element_instance WHERE id = ? AND next_poll_at IS NOT NULL",
                (rs, row) -> rs.getTimestamp(1).toInstant(), instanceId).stream().findFirst().orElse(null);
    }

    Duration effectiveInterval(Instance instance) {
        Duration configured = instance.polling().refreshInterval();
        Duration minimum = Duration.ofSeconds(settings.pollerMinIntervalSeconds());
        return configured.compareTo(minimum) < 0 ? minimum : configured;
    }

    /** Milliseconds only: the value read back must equal the value written (DuePolls compares them). */
    private static Timestamp now() {
        return Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }
}
