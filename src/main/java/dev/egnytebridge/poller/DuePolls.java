package dev.egnytebridge.poller;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.egnytebridge.budget.CallBudget;
import dev.egnytebridge.cluster.ClusterNode;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.observe.ScheduleActivity;
import dev.egnytebridge.wake.WakeableScheduler;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
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
 * <p>
 * The route looks when its {@link WakeableScheduler} wakes it, not on a clock: after each look
 * ({@link #planNextLook()}) at the earliest next poll in the schedule, and while this node holds claims, in time to
 * renew their leases; at once when a poll settles while every poller thread was taken, or when a poll's schedule
 * changed while it ran; at its next beat when a poll settles. {@link PollerScheduler} wakes it when it changes the
 * schedule. What other cluster nodes change is found by the scheduler's fallback look
 * ({@code bridge.poller.idle-check-ms}).
 */
public class DuePolls extends ServiceSupport implements ScheduleActivity {

    /**
     * The shortest time between a look and the next one planned for a beat: polls that come due within it are claimed
     * together in one look (at 10,000 instances a minute apart, a poll comes due every 6 ms). Work that arrives (a
     * new or changed instance, a freed thread) wakes the scheduler at once and does not wait for it.
     */
    static final Duration GATHER = Duration.ofMillis(50);
    private static final Logger LOG = LoggerFactory.getLogger(DuePolls.class);

    private final JdbcTemplate jdbc;
    private final ClusterNode node;
    private final Duration lease;
    private final int pollerThreads;
    /** Runs the route that looks (schedule-due-polls); null when nothing runs it (a test calling claim itself). */
    private final WakeableScheduler wakeup;
    private final BridgeMetrics metrics;
    /** Spaces an instance's polls so that its token's daily call budget lasts the day. */
    private final CallBudget budget;
    /** How late each poll started, kept per hour for the instance's activity chart. */
    private final PollLagHours lagHours;
    /**
     * This node's claims not yet settled, each holding one poller thread. A claim whose poll never started within a
     * lease (its exchange lost, e.g. to a route reload) is dropped, so it neither holds a thread nor is renewed: its
     * lease runs out and the instance is polled again.
     */
    private final Map<Long, Claim> claims = new ConcurrentHashMap<>();
    private volatile Instant leasesRenewedAt = Instant.now();
    private volatile Instant lastLookAt;
    /** The last look found every poller thread taken: the next settle wakes the scheduler. */
    private volatile boolean noFreePoller;

    /** Claims and settles polls that no scheduler looks for (its caller calls {@link #claim} itself). */
    public DuePolls(JdbcTemplate jdbc, ClusterNode node, int pollerThreads, Duration lease) {
        this(jdbc, node, pollerThreads, lease, null, BridgeMetrics.of((org.apache.camel.CamelContext) null));
    }

    /** Without a daily call budget. */
    public DuePolls(JdbcTemplate jdbc, ClusterNode node, int pollerThreads, Duration lease, WakeableScheduler wakeup,
                    BridgeMetrics metrics) {
        this(jdbc, node, pollerThreads, lease, wakeup, metrics, new CallBudget(jdbc, 0, Clock.systemUTC()));
    }

    public DuePolls(JdbcTemplate jdbc, ClusterNode node, int pollerThreads, Duration lease, WakeableScheduler wakeup,
                    BridgeMetrics metrics, CallBudget budget) {
        this.budget = budget;
        this.lagHours = new PollLagHours(jdbc);
        this.jdbc = jdbc;
        this.node = node;
        this.lease = lease;
        this.pollerThreads = pollerThreads;
        this.wakeup = wakeup;
        this.metrics = metrics;
    }

    private static final class Claim {
        final Instant claimedAt = Instant.now();
        volatile boolean started;
    }

    /** Route step {@code look-at-least-once}: a look claims at least once. */
    public Look newLook() {
        return new Look();
    }

    /**
     * Route step {@code claim-due-polls}: claims as many due polls as there are free poller threads. Tells the look
     * whether every free thread got a poll (then more may be due). When every thread is taken it claims nothing and
     * does not wait: the poll that frees a thread wakes the scheduler.
     */
    public List<DuePoll> claim(@ExchangeProperty(Look.PROPERTY) Look look) {
        int free = freePollers();
        noFreePoller = free == 0;
        List<DuePoll> claimed = free == 0 ? List.of() : claimUpTo(free);
        lastLookAt = Instant.now();
        look.claimed(free > 0 && claimed.size() == free);
        return claimed;
    }

    private synchronized int freePollers() {
        dropLostClaims();
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
        // poll_claimed_at: pushes of Egnyte's webhooks coalesce into one poll per window after it (push.PushDoorbell)
        jdbc.update("UPDATE element_instance SET poll_lease_owner = ?, poll_lease_until = ?, poll_claimed_at = ? "
                + "WHERE id IN (" + ids + ") AND next_poll_at <= ? AND (poll_lease_until IS NULL OR poll_lease_until < ?) "
                + "AND " + InstanceStore.POLLABLE, node.id(), leaseUntil, now, now, now);
        List<DuePoll> claimed = new ArrayList<>();
        List<Long> unscheduled = new ArrayList<>();
        jdbc.query("SELECT id, next_poll_at, poll_interval_ms FROM element_instance "
                        + "WHERE id IN (" + ids + ") AND poll_lease_owner = ? AND poll_lease_until = ? ORDER BY next_poll_at, id",
                rs -> {
                    Timestamp planned = rs.getTimestamp(2);
                    if (planned == null) {
                        unscheduled.add(rs.getLong(1)); // taken out of the schedule since the UPDATE
                    } else {
                        claimed.add(new DuePoll(rs.getLong(1), planned.toInstant(), rs.getLong(3)));
                    }
                }, node.id(), leaseUntil);
        if (!unscheduled.isEmpty()) {
            // not polled: its lease goes at once, so a schedule that puts it back is not held up by it
            jdbc.update("UPDATE element_instance SET poll_lease_owner = NULL, poll_lease_until = NULL WHERE id IN ("
                    + idList(unscheduled.stream()) + ") AND poll_lease_owner = ?", node.id());
        }
        claimed.forEach(poll -> claims.put(poll.instanceId(), new Claim()));
        return claimed;
    }

    /**
     * Route step {@code sleep-until-due}, after each look: tells the scheduler when to look next. At the earliest next
     * poll of an instance that no node has claimed (the first matching row of the next_poll_at index; a due one,
     * claimed by no one since the look, means at once), but no sooner than {@link #GATHER} after this look; and while
     * this node holds claims, when their leases are next renewed (which also drops claims whose poll never started).
     * Nothing is read while every poller thread is taken: the poll that frees one wakes the scheduler.
     */
    public void planNextLook() {
        if (wakeup == null) {
            return;
        }
        if (!claims.isEmpty()) {
            // a few ms late rather than early: renewLeases renews once a third of the lease has passed
            wakeup.wakeAt(leasesRenewedAt.plus(lease.dividedBy(3)).plusMillis(5));
        }
        if (noFreePoller) {
            return;
        }
        Timestamp now = PollerScheduler.now();
        // the claim's conditions but the due time: a row leased by a node is left out (its poll moves it when it
        // ends; a dead node's lease running out is found by the fallback look). ORDER BY and one row rather than
        // MIN(): both H2 and PostgreSQL then read the next_poll_at index from its start and stop at the first match
        // (H2 scans the whole table for the MIN of a filtered column)
        List<Timestamp> next = jdbc.queryForList("SELECT next_poll_at FROM element_instance WHERE next_poll_at IS NOT NULL "
                + "AND (poll_lease_until IS NULL OR poll_lease_until < ?) AND " + InstanceStore.POLLABLE
                + " ORDER BY next_poll_at FETCH FIRST 1 ROWS ONLY", Timestamp.class, now);
        if (!next.isEmpty()) {
            wakeAtBeat(next.get(0).toInstant());
        }
    }

    private void wakeAtBeat(Instant due) {
        Instant last = lastLookAt;
        Instant gathered = last == null ? due : last.plus(GATHER);
        wakeup.wakeAt(due.isAfter(gathered) ? due : gathered);
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

    /** Route step {@code start-due-poll}: the poll of the claimed instance starts; records how late it starts. */
    public Poll begin(@Body DuePoll claimed) {
        DuePoll poll = claimed.startedAt(Instant.now());
        Claim claim = claims.get(poll.instanceId());
        if (claim != null) {
            claim.started = true;
        }
        Duration lag = Duration.between(poll.plannedAt(), poll.startedAt());
        metrics.pollLag(lag);
        lagHours.record(poll.instanceId(), poll.startedAt(), lag);
        return new Poll(poll);
    }

    /**
     * Route step {@code schedule-next-poll}, after every poll however it ended: the instance is due again on its next
     * beat, and its lease and poller thread are free. If the schedule changed while the poll ran (stopped, or
     * rescheduled by a new interval), that change stands and only the lease is released.
     */
    public void settle(@ExchangeProperty(Poll.PROPERTY) Poll started) {
        if (started == null) {
            return; // begin() never read the claim: nothing to settle
        }
        DuePoll poll = started.due();
        Instant next = null;
        boolean changedWhileRunning = false;
        try {
            Instant now = Instant.now();
            next = poll.nextAfter(now);
            if (started.instance() != null) {
                // no sooner than the token's daily budget allows: the beat of a 1-minute instance may be 90 s apart
                next = budget.nextPoll(started.instance().secrets().accessToken(), poll.instanceId(),
                        Duration.ofMillis(poll.intervalMs()), started.resources().size(),
                        poll.startedAt() == null ? now : poll.startedAt(), next);
            }
            int moved = jdbc.update("UPDATE element_instance SET next_poll_at = ?, poll_lease_owner = NULL, "
                            + "poll_lease_until = NULL WHERE id = ? AND next_poll_at = ? AND poll_lease_owner = ?",
                    Timestamp.from(next), poll.instanceId(), Timestamp.from(poll.plannedAt()), node.id());
            if (moved == 0) {
                jdbc.update("UPDATE element_instance SET poll_lease_owner = NULL, poll_lease_until = NULL "
                        + "WHERE id = ? AND poll_lease_owner = ?", poll.instanceId(), node.id());
                changedWhileRunning = true; // e.g. a new interval, due at once, while the lease kept it from a look
            }
        } catch (RuntimeException e) {
            // the lease runs out by itself, and the poll is then due again
            LOG.error("Could not schedule the next poll of instance {}", poll.instanceId(), e);
        } finally {
            boolean pollsWaited;
            synchronized (this) {
                pollsWaited = claims.size() >= pollerThreads;
                claims.remove(poll.instanceId());
            }
            if (wakeup != null) {
                if (pollsWaited || changedWhileRunning) {
                    wakeup.wake(); // a thread is free for polls that may be waiting for one, or the schedule changed
                } else if (next != null) {
                    wakeAtBeat(next);
                }
            }
        }
    }

    /** When this node last looked for due polls (null before its first look), for the scheduler health check. */
    @Override
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
