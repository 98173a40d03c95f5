package dev.egnytebridge.poller;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.config.BridgeSettings;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.instance.PollingConfiguration;
import dev.egnytebridge.store.SeenObjects;
import dev.egnytebridge.wake.WakeableScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps each instance's place in the poll schedule (element_instance.next_poll_at and poll_interval_ms) in step with
 * the instance: scheduled when its events are turned on, polled at once when its interval changes, taken out when it
 * is deleted or its events, validity or poller are turned off. The schedule is served by {@link DuePolls}; a change
 * made here is one UPDATE, and it wakes this node's scheduler so that a poll due at once starts at once. In cluster
 * mode it wakes the other nodes' schedulers too ({@code ClusterSignals}); their fallback look
 * ({@code bridge.poller.idle-check-ms}) finds it should that signal be missed.
 */
public class PollerScheduler {

    /** Egnyte asks integrations to poll every 5 minutes or less often. */
    static final Duration EGNYTE_RECOMMENDED_INTERVAL = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(PollerScheduler.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final BridgeSettings settings;
    /** Runs the route that looks for due polls (schedule-due-polls). */
    private final WakeableScheduler wakeup;
    /** Wakes the other nodes' schedulers (cluster mode). */
    private final Runnable otherNodes;

    public PollerScheduler(JdbcTemplate jdbc, ObjectMapper mapper, BridgeSettings settings, WakeableScheduler wakeup,
                           Runnable otherNodes) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.settings = settings;
        this.wakeup = wakeup;
        this.otherNodes = otherNodes;
    }

    /**
     * Brings every pollable instance's schedule in line with this node's settings (at start: the minimum interval may
     * have changed, and instances stored before the schedule existed have no place in it yet). Reads only what the
     * schedule needs (no secrets to decrypt), and writes only what changed.
     */
    public int scheduleAll() {
        record Row(long id, String configuration, Long intervalMs, boolean unscheduled) {
        }
        List<Row> pollable = jdbc.query("SELECT id, configuration, poll_interval_ms, next_poll_at FROM element_instance "
                        + "WHERE " + InstanceStore.POLLABLE + " ORDER BY id",
                (rs, n) -> new Row(rs.getLong(1), rs.getString(2), (Long) rs.getObject(3, Long.class), rs.getTimestamp(4) == null));
        int changed = 0;
        for (Row row : pollable) {
            long intervalMs;
            try {
                intervalMs = effectiveIntervalMs(PollingConfiguration.from((ObjectNode) mapper.readTree(row.configuration())));
            } catch (JsonProcessingException | RuntimeException e) {
                LOG.error("Instance {} has an unreadable configuration and is not polled", row.id(), e);
                continue;
            }
            if (row.unscheduled() || row.intervalMs() == null || row.intervalMs() != intervalMs) {
                schedule(row.id(), intervalMs);
                changed++;
            }
        }
        LOG.info("{} instance(s) are polled; {} of them (re)scheduled now", pollable.size(), changed);
        if (changed > 0) {
            wakeup.wake();
        }
        return changed;
    }

    /**
     * Brings an instance's place in the schedule in line with the instance as it is now. A pollable one wakes the
     * scheduler whether or not its row changed: it may have become pollable again with its old, passed, next poll
     * time (events or poller turned back on), which is due at once too.
     */
    public void refresh(Instance instance) {
        if (!instance.pollable()) {
            unschedule(instance.id());
            return;
        }
        schedule(instance.id(), effectiveIntervalMs(instance.polling()));
        wakeup.wake();
        otherNodes.run();
    }

    /** Schedules a pollable instance: a new one, or one whose interval changed, is due at once. */
    private void schedule(long instanceId, long intervalMs) {
        int updated = jdbc.update("UPDATE element_instance SET next_poll_at = ?, poll_interval_ms = ? WHERE id = ? "
                        + "AND (next_poll_at IS NULL OR poll_interval_ms IS NULL OR poll_interval_ms <> ?)",
                now(), intervalMs, instanceId, intervalMs);
        if (updated > 0) {
            LOG.info("Polling instance {} every {} s", instanceId, intervalMs / 1000.0);
            if (intervalMs < EGNYTE_RECOMMENDED_INTERVAL.toMillis()) {
                LOG.warn("Instance {} polls every {} s; Egnyte asks for 5 minutes or more", instanceId, intervalMs / 1000.0);
            }
        }
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
     * Route step {@code forget-deleted-instance}, once the instance row is deleted: forgets what it delivered. Does not
     * wait for a poll of it that is running (on any node): that poll stops before its next Egnyte call
     * ({@link PollSession#stopIfDeleted}), and its hand-off cannot store anything for a deleted instance.
     */
    public void remove(long instanceId) {
        unschedule(instanceId);
        SeenObjects.forgetInstance(jdbc, instanceId);
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

    /** The instance's refresh interval, raised to bridge.poller.min-interval-seconds. */
    long effectiveIntervalMs(PollingConfiguration polling) {
        Duration minimum = Duration.ofSeconds(settings.pollerMinIntervalSeconds());
        Duration configured = polling.refreshInterval();
        return (configured.compareTo(minimum) < 0 ? minimum : configured).toMillis();
    }

    /**
     * Now, for the schedule's columns. Milliseconds only: a time written to the schedule is read back and compared for
     * equality (DuePolls.settle), so it must survive the database's precision unchanged.
     */
    static Timestamp now() {
        return Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }
}
