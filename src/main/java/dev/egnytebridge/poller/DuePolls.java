package dev.egnytebridge.poller;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.egnytebridge.cluster.ClusterNode;
import dev.egnytebridge.observe.BridgeMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Serves the poll schedule (routes/schedule-polls.yaml): claims the instances whose next poll is due, never more than
 * this node has free poller threads, and after each poll moves the instance to its next beat. A claim is a lease in
 * the instance's row (owner and expiry): while it holds, no other node and no later look starts a second poll of
 * that instance, and this node renews the leases of its claims as long as they run. A node that dies leaves leases
 * that simply run out ({@code bridge.poller.lease-seconds}), and the others poll those instances again.
 */
public class DuePolls extends ServiceSupport {

    /** Exchange property: the {@link DuePoll} a poll runs for. */
    public static final String DUE_POLL = "bridgeDuePoll";
    /** Exchange property the look loop reads: every free poller got a due poll, so more may be due at once. */
    public static final String MORE_DUE = "bridgeMorePollsDue";
    private static final Logger LOG = LoggerFactory.getLogger(DuePolls.class);

    private final JdbcTemplate jdbc;
    private final ClusterNode node;
    private final long waitForPollerMs;
    private final Duration lease;
    /** One permit per free poller thread: a claim takes permits, a settled poll gives its permit back. */
    private final Semaphore freePollers;
    private volatile Instant leasesRenewedAt = Instant.now();
    private volatile Instant lastLookAt;

    public DuePolls(JdbcTemplate jdbc, ClusterNode node, int pollerThreads, long tickMs, Duration lease) {
        this.jdbc = jdbc;
        this.node = node;
        this.waitForPollerMs = tickMs;
        this.lease = lease;
        this.freePollers = new Semaphore(pollerThreads);
    }

    /**
     * Route step {@code claim-due-polls}: claims as many due polls as there are free poller threads, waiting up to one
     * tick for a thread to come free when all are busy. Sets {@link #MORE_DUE} when every free thread got a poll.
     */
    public List<DuePoll> claim(Exchange exchange) throws InterruptedException {
        int free = freePollers.drainPermits();
        if (free == 0 && freePollers.tryAcquire(waitForPollerMs, TimeUnit.MILLISECONDS)) {
            free = 1 + freePollers.drainPermits();
        }
        List<DuePoll> claimed = List.of();
        try {
            claimed = free == 0 ? List.of() : claimUpTo(free);
            lastLookAt = Instant.now();
        } finally {
            freePollers.release(free - claimed.size());
        }
        exchange.setProperty(MORE_DUE, free > 0 && claimed.size() == free);
        return claimed;
    }

    private List<DuePoll> claimUpTo(int limit) {
        Timestamp now = now();
        List<DuePoll> due = jdbc.query("SELECT id, next_poll_at, poll_interval_ms FROM element_instance "
                        + "WHERE next_poll_at <= ? AND (poll_lease_until IS NULL OR poll_lease_until < ?) "
                        + "AND events_enabled = TRUE AND valid = TRUE AND disabled = FALSE AND poller_disabled = FALSE "
                        + "ORDER BY next_poll_at, id FETCH FIRST " + limit + " ROWS ONLY",
                (rs, row) -> new DuePoll(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getLong(3)), now, now);
        Timestamp leaseUntil = Timestamp.from(now.toInstant().plus(lease));
        List<DuePoll> claimed = new ArrayList<>(due.size());
        for (DuePoll poll : due) {
            // the same conditions again: another node may have claimed it, or the schedule changed, since the SELECT
            int updated = jdbc.update("UPDATE element_instance SET poll_lease_owner = ?, poll_lease_until = ? "
                            + "WHERE id = ? AND next_poll_at = ? AND (poll_lease_until IS NULL OR poll_lease_until < ?)",
                    node.id(), leaseUntil, poll.instanceId(), Timestamp.from(poll.plannedAt()), now);
            if (updated == 1) {
                claimed.add(poll);
            }
        }
        return claimed;
    }

    /**
     * Route step {@code keep-claims-leased}: renews the leases of this node's claims a third of the way through, so a
     * long poll (a big backlog) keeps its instance for as long as it runs.
     */
    public void renewLeases() {
        Instant now = Instant.now();
        if (Duration.between(leasesRenewedAt, now).compareTo(lease.dividedBy(3)) < 0) {
            return;
        }
        jdbc.update("UPDATE element_instance SET poll_lease_until = ? WHERE poll_lease_owner = ?",
                Timestamp.from(now.plus(lease)), node.id());
        leasesRenewedAt = now;
    }

    /** Route step {@code start-due-poll}: names the instance for poll-instance and records how late the poll starts. */
    public void begin(Exchange exchange) {
        DuePoll poll = exchange.getMessage().getBody(DuePoll.class);
        exchange.setProperty(DUE_POLL, poll);
        exchange.getMessage().setHeader(PollSession.INSTANCE_ID, poll.instanceId());
        BridgeMetrics.of(exchange).pollLag(Duration.between(poll.plannedAt(), Instant.now()));
    }

    /**
     * Route step {@code schedule-next-poll}, after every poll however it ended: the instance is due again on its next
     * beat, and its lease and poller thread are free. If the schedule changed while the poll ran (stopped, or
     * rescheduled by a new interval), that change stands and only the lease is released.
     */
    public void settle(Exchange exchange) {
        DuePoll poll = exchange.getProperty(DUE_POLL, DuePoll.class);
        try {
            Instant next = poll.nextAfter(Instant.now());
            int moved = jdbc.update("UPDATE element_instance SET next_poll_at = ?, poll_lease_owner = NULL, "
                            + "poll_lease_until = NULL WHERE id = ? AND next_poll_at = ? AND poll_lease_owner = ?",
                    Timestamp.from(next), poll.instanceId(), Timestamp.from(poll.plannedAt()), node.id());
            if (moved == 0) {
                jdbc.update("UPDATE element_instance SET poll_lease_owner = NULL, poll_lease_until = NULL "
                        + "WHERE id = ? AND poll_lease_owner = ?", poll.instanceId(), node.id());
            }
        } catch (RuntimeException e) {
            // the lease runs out by itself, and the poll is then due again
            LOG.error("Could not schedule the next poll of instance {}", poll.instanceId(), e);
        } finally {
            freePollers.release();
        }
    }

    /** When this node last looked for due polls (null before its first look), for the scheduler health check. */
    public Instant lastLookAt() {
        return lastLookAt;
    }

    /**
     * A single node is the only one that can hold leases: those left by its previous run (a crash) are released at
     * once. In cluster mode they may belong to a live node and are left to run out.
     */
    @Override
    protected void doStart() {
        if (!node.clustered()) {
            int released = jdbc.update("UPDATE element_instance SET poll_lease_owner = NULL, poll_lease_until = NULL "
                    + "WHERE poll_lease_owner IS NOT NULL");
            if (released > 0) {
                LOG.info("Released {} poll claim(s) left by the previous run", released);
            }
        }
    }

    /** On a clean stop, claims of polls that never started go back to the schedule at once. */
    @Override
    protected void doStop() {
        try {
            jdbc.update("UPDATE element_instance SET poll_lease_owner = NULL, poll_lease_until = NULL "
                    + "WHERE poll_lease_owner = ?", node.id());
        } catch (RuntimeException e) {
            LOG.debug("Could not release this node's poll claims at stop; they run out by themselves", e);
        }
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }
}
