package dev.egnytebridge.push;

import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.egnytebridge.api.ApiException;
import dev.egnytebridge.budget.CallBudget;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.poller.Poll;
import dev.egnytebridge.security.Tokens;
import dev.egnytebridge.wake.WakeableScheduler;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.egnytebridge.store.SqlTimes.instant;

/**
 * Bean {@code pushDoorbell}: a push from Egnyte, received at {@code /events/egnyte/{hook key}}, is a doorbell and not
 * the data. {@link #admit} proves it came from the registration (its hook key, then its auth header in constant time;
 * one indexed lookup, nothing else touched for a stranger); {@link #ring} makes the instance due for a cursor poll at
 * once. Pushes close together coalesce: none brings a poll sooner than {@code bridge.push.coalesce-ms} after the
 * instance's latest poll started, so a flood of pushes costs at most one poll per window; a push that comes while a
 * poll runs brings one more poll after it (that poll may have read Egnyte before the event). With a daily call budget
 * ({@code egnyte.rate-limit.calls-per-day}) the window is at least the budget's even spacing for the token, and no
 * push brings a poll while the budget is spent, so pushes cannot spend the day's calls before the day ends. The
 * push's body is never read.
 */
public class PushDoorbell {

    /** Exchange property of route receive-egnyte-push: the instance a push was admitted for (a Long). */
    public static final String PROPERTY = "pushInstanceId";
    /** The help desk's reading of Egnyte's auth header: the registered value arrives in this header. */
    static final String HELP_DESK_HEADER = "Authentication";
    private static final Logger LOG = LoggerFactory.getLogger(PushDoorbell.class);
    private static final byte[] NO_HASH = new byte[32];
    private static final Map<String, Boolean> RECEIVED = Map.of("received", true);

    private final PushRegistrations registrations;
    private final JdbcTemplate jdbc;
    private final Duration coalesce;
    /** Runs schedule-due-polls: woken when a push made an instance due now. */
    private final WakeableScheduler pollWakeup;
    private final BridgeMetrics metrics;
    private final CallBudget budget;
    private final InstanceStore instances;
    /** When this node last stored a push of each instance: last_push_at is written at most once per window. */
    private final Map<Long, Instant> lastStored = new ConcurrentHashMap<>();

    public PushDoorbell(PushRegistrations registrations, JdbcTemplate jdbc, Duration coalesce,
                        WakeableScheduler pollWakeup, BridgeMetrics metrics, CallBudget budget,
                        InstanceStore instances) {
        this.metrics = metrics;
        this.budget = budget;
        this.instances = instances;
        this.registrations = registrations;
        this.jdbc = jdbc;
        this.coalesce = coalesce;
        this.pollWakeup = pollWakeup;
    }

    /**
     * Route step {@code admit-push}: the instance whose registration the push proves, or 404 for an unknown hook key
     * and 401 for a missing or wrong auth header. Neither answer says more than that.
     */
    public long admit(@Header("hookKey") String hookKey, @Header(PushLifecycle.AUTH_HEADER) String token,
                      @Header(HELP_DESK_HEADER) String helpDeskToken) {
        Optional<PushRegistrations.HookKey> key = hookKey == null || hookKey.length() > 64 || !hookKey.matches("[A-Za-z0-9_-]+")
                ? Optional.empty() : registrations.hookKey(hookKey);
        if (key.isEmpty()) {
            metrics.pushRejected("unknown_key");
            throw ApiException.notFound("No such receiver");
        }
        byte[] expected = key.get().authHash();
        // both readings are checked, each in constant time, whichever is present
        boolean named = MessageDigest.isEqual(hash(token), expected);
        boolean helpDesk = MessageDigest.isEqual(hash(helpDeskToken), expected);
        if (!(named || helpDesk)) {
            LOG.debug("Push for instance {} refused: missing or wrong auth header", key.get().instanceId());
            metrics.pushRejected("bad_auth");
            throw new ApiException(401, null, "Missing or wrong auth header");
        }
        return key.get().instanceId();
    }

    private static byte[] hash(String value) {
        return value == null ? NO_HASH : Tokens.sha256(value.strip());
    }

    /**
     * Route step {@code ring-for-a-poll}: the instance is due for a poll at once, or at the end of the coalescing
     * window after its latest poll started (no sooner than a pause Egnyte asked for). Polls keep Egnyte's per-second
     * limit and the daily budget through route call-egnyte as every poll does. An instance that is not polled now
     * (events off, disabled) is left alone: the push is still answered 200, as Egnyte wants.
     */
    public Map<String, Boolean> ring(@ExchangeProperty(PROPERTY) long instanceId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        metrics.pushReceived(instanceId);
        storePushTime(instanceId, now);
        registrations.markPending(instanceId, now);
        schedulePoll(instanceId, now);
        return RECEIVED;
    }

    private void schedulePoll(long instanceId, Instant now) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Schedule row = jdbc.query("SELECT next_poll_at, poll_lease_until, poll_claimed_at, paused_until "
                    + "FROM element_instance WHERE id = ? AND " + InstanceStore.POLLABLE, (rs, n) -> new Schedule(
                    instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3)),
                    instant(rs.getTimestamp(4))), instanceId).stream().findFirst().orElse(null);
            if (row == null || row.nextPollAt() == null) {
                LOG.debug("Push for instance {}: it is not polled now", instanceId);
                return;
            }
            Instant target = row.target(now, coalesce, null);
            if (target != null && budget.callsPerDay() > 0) {
                // read only when the push would move the schedule: a flood's later pushes find a poll already due
                Budgeted allowed = budgeted(instanceId);
                Duration window = allowed.spacing().compareTo(coalesce) > 0 ? allowed.spacing() : coalesce;
                target = row.target(now, window, allowed.notBefore());
            }
            if (target == null) {
                LOG.debug("Push for instance {}: a poll is already due", instanceId);
                return;
            }
            // only if nothing moved since the read (a claim, a settle, another push): else read again
            String sameClaim = row.claimedAt() == null ? "poll_claimed_at IS NULL" : "poll_claimed_at = ?";
            Object[] args = row.claimedAt() == null
                    ? new Object[] {Timestamp.from(target), instanceId, Timestamp.from(row.nextPollAt())}
                    : new Object[] {Timestamp.from(target), instanceId, Timestamp.from(row.nextPollAt()),
                            Timestamp.from(row.claimedAt())};
            int moved = jdbc.update("UPDATE element_instance SET next_poll_at = ? WHERE id = ? AND next_poll_at = ? AND "
                    + sameClaim, args);
            if (moved == 1) {
                LOG.debug("Push for instance {}: poll due at {}", instanceId, target);
                if (pollWakeup != null) {
                    pollWakeup.wakeAt(target);
                }
                return;
            }
        }
        LOG.debug("Push for instance {}: its schedule kept changing; the polls under way cover it", instanceId);
    }

    /**
     * What the token's daily budget allows pushes: polls no closer together than its even spacing (so pushes cannot
     * spend the day's calls before the day ends), and none while the budget is spent.
     */
    private Budgeted budgeted(long instanceId) {
        Instance instance = instances.find(instanceId).orElse(null);
        if (instance == null) {
            return new Budgeted(Duration.ZERO, null);
        }
        // the even spacing alone: the instance's own interval is the backstop, not a limit on pushes
        CallBudget.Plan plan = budget.plan(instance.secrets().accessToken(), instanceId, Duration.ZERO,
                instance.polling().resources().size());
        return new Budgeted(plan.effectiveInterval(), plan.spentUntil());
    }

    private record Budgeted(Duration spacing, Instant notBefore) {
    }

    /** The instance's place in the poll schedule as a push finds it. */
    record Schedule(Instant nextPollAt, Instant leaseUntil, Instant claimedAt, Instant pausedUntil) {

        /**
         * When the push wants the next poll, or null when the schedule already has one that covers it. A poll running
         * now (leased) may have read Egnyte before the event: one more follows it. A poll due and not yet started
         * covers the push.
         */
        Instant target(Instant now, Duration window, Instant budgetFreesAt) {
            Instant earliest = claimedAt == null || claimedAt.plus(window).isBefore(now) ? now : claimedAt.plus(window);
            for (Instant notBefore : new Instant[] {pausedUntil, budgetFreesAt}) {
                if (notBefore != null && notBefore.isAfter(earliest)) {
                    earliest = notBefore;
                }
            }
            boolean running = leaseUntil != null && leaseUntil.isAfter(now);
            if (running) {
                // the running poll's planned time is not after its claim; a later one was set while it runs
                boolean alreadyMoved = claimedAt != null && nextPollAt.isAfter(claimedAt);
                Instant target = alreadyMoved && nextPollAt.isBefore(earliest) ? nextPollAt : earliest;
                return target.equals(nextPollAt) ? null : target;
            }
            if (!nextPollAt.isAfter(earliest)) {
                return null; // due by then anyway
            }
            return earliest;
        }
    }

    /**
     * Route step {@code answer-the-doorbell} of poll-instance (poll-egnyte.yaml): a poll of an instance in webhooks mode
     * takes the earliest push that came before it and that no poll answered yet; the notifications it builds carry
     * that push's time, and their deliveries measure the push-to-delivery latency. No database work for polling mode.
     */
    public void answer(@ExchangeProperty(Poll.PROPERTY) Poll poll) {
        if (poll.instance() != null && poll.instance().polling().webhooks()) {
            poll.answersPushOf(registrations.takePending(poll.instanceId(), poll.startedAt()));
        }
    }

    private void storePushTime(long instanceId, Instant now) {
        Instant last = lastStored.get(instanceId);
        if (last == null || !now.isBefore(last.plus(coalesce))) {
            lastStored.put(instanceId, now);
            registrations.markPushed(instanceId, now);
        }
    }

}
