package dev.egnytebridge.poller;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.egnytebridge.cluster.ClusterNode;
import dev.egnytebridge.instance.InstanceStore;
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
    private final int pollerThreads;
    /**
     * This node's claims not yet settled, each holding one poller thread. A claim whose poll never started within a
     * lease (its exchange lost, e.g. to a route reload) is dropped, so it neither holds a thread nor is renewed: its
     * lease runs out and the instance is polled again.
     */
    private final Map<Long, Claim> claims = new ConcurrentHashMap<>();
    private volatile Instant leasesRenewedAt = Instant.now();
    private volatile Instant lastLookAt;

    public DuePolls(JdbcTemplate jdbc, ClusterNode node, int pollerThreads, long tickMs, Duration lease) {
        this.jdbc = jdbc;
        this.node = node;
        this.waitForPollerMs = tickMs;
        this.lease = lease;
        this.pollerThreads = pollerThreads;
    }

    private static final class Claim {
        final Instant claimedAt = Instant.now();
        volatile boolean started;
    }

    /**
     * Route step {@code claim-due-polls}: claims as many due polls as there are free poller threads, waiting up to one
     * tick for a thread to come free when all are busy. Sets {@link #MORE_DUE} when every free thread got a poll.
     */
    public List<DuePoll> claim(Exchange exchange) throws InterruptedException {
        int free = waitForFreePollers();
        List<DuePoll> claimed = free == 0 ? List.of() : claimUpTo(free);
        lastLookAt = Instant.now();
        exchange.setProperty(MORE_DUE, free > 0 && claimed.size() == free);
        return claimed;
    }

    private synchronized int waitForFreePollers() throws InterruptedException {
        dropLostClaims();
        if (claims.size() >= pollerThreads) {
            wait(waitForPollerMs); // settle() notifies
        }
        return Math.max(0, pollerThreads - claims.size());
    }

    private void dropLostClaims() {
        Instant tooOld = Instant.now().minus(lease);
        claims.entrySet().removeIf(e -> {
            boolean lost = !e.getValue().started && e.getValue().claimedAt.isBefore(tooOld);
            if (lost) {
                LOG.warn("The claimed poll of instance {} never started; its lease runs out and it is polled again", e.getKey());
            }
            return lost;
        });
    }

    /** Three statements however many polls are due: one commit per look, not one per poll. */
    private List<DuePoll> claimUpTo(int limit) {
        Timestamp now = PollerScheduler.now();
        List<Long> due = jdbc.queryForList("SELECT id FROM element_instance "
                + "WHERE next_poll_at <= ? AND (poll_lease_until IS NULL OR poll_lease_until < ?) "
                + "AND " + InstanceStore.POLLABLE + " ORDER BY next_poll_at, id FETCH FIRST " + limit + " ROWS ONLY",
                Long.class, now, now);
        if (due.isEmpty()) {
            return List.of();
        }
        String ids = idList(due.stream());
        Timestamp leaseUntil = Timestamp.from(now.toInstant().plus(lease));
        // the same conditions again: another node may have claimed some of them, or the schedule changed, since the
        // SELECT; the rows this node got are the ones that carry its lease afterwards
        jdbc.update("UPDATE element_instance SET poll_lease_owner = ?, poll_lease_until = ? WHERE id IN (" + ids + ") "
                + "AND next_poll_at <= ? AND (poll_lease_until IS NULL OR poll_lease_until < ?) AND "
                + InstanceStore.POLLABLE, node.id(), leaseUntil, now, now);
        List<DuePoll> claimed = jdbc.query("SELECT id, next_poll_at, poll_interval_ms FROM element_instance "
                        + "WHERE id IN (" + ids + ") AND poll_lease_owner = ? AND poll_lease_until = ? ORDER BY next_poll_at, id",
                (rs, row) -> new DuePoll(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getLong(3)), node.id(), leaseUntil);
        claimed.forEach(poll -> claims.put(poll.instanceId(), new Claim()));
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
        String running = idList(claims.entrySet().stream().filter(e -> e.getValue().started).map(Map.Entry::getKey));
        if (!running.isEmpty()) {
            jdbc.update("UPDATE element_instance SET poll_lease_until = ? WHERE poll_lease_owner = ? AND id IN ("
                    + running + ")", Timestamp.from(now.plus(lease)), node.id());
        }
        leasesRenewedAt = now;
    }

    /** Route step {@code start-due-poll}: names the instance for poll-instance and records how late the poll starts. */
    public void begin(Exchange exchange) {
        DuePoll poll = exchange.getMessage().getBody(DuePoll.class).startedAt(Instant.now());
        exchange.setProperty(DUE_POLL, poll);
        Claim claim = claims.get(poll.instanceId());
        if (claim != null) {
            claim.started = true;
        }
        exchange.getMessage().setHeader(PollSession.INSTANCE_ID, poll.instanceId());
        BridgeMetrics.of(exchange).pollLag(Duration.between(poll.plannedAt(), poll.startedAt()));
    }

    /**
     * Route step {@code schedule-next-poll}, after every poll however it ended: the instance is due again on its next
     * beat, and its lease and poller thread are free. If the schedule changed while the poll ran (stopped, or
     * rescheduled by a new interval), that change stands and only the lease is released.
     */
    public void settle(Exchange exchange) {
        DuePoll poll = exchange.getProperty(DUE_POLL, DuePoll.class);
        if (poll == null) {
            return; // begin() never read the claim: nothing to settle
        }
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
            synchronized (this) {
                claims.remove(poll.instanceId());
                notifyAll();
            }
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

    /** Instance ids for an {@code IN (...)} list: numbers read from the database, so safe to inline. */
    private static String idList(Stream<Long> ids) {
        return ids.map(String::valueOf).collect(Collectors.joining(","));
    }
}
