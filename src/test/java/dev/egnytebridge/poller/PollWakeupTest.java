package dev.egnytebridge.poller;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.cluster.ClusterNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.sandbox.RecordedRequest;
import dev.egnytebridge.wake.WakeableScheduler;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The poll scheduler wakes on work, not on a clock (routes/schedule-polls.yaml, scheduler {@code pollWakeup}). Its
 * fallback look here is a minute away, so everything these tests see polled was polled because the scheduler was
 * woken for it: by a new instance, a due time it read, a poll that ended, a lease to renew.
 */
class PollWakeupTest extends PipelineTestSupport {

    private static final String TEN_MINUTES = "10";
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final int POLLER_THREADS = 2;

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.poller.idle-check-ms", "60000");
        p.setProperty("bridge.poller.lease-seconds", String.valueOf(LEASE.toSeconds()));
        p.setProperty("bridge.poller.threads", String.valueOf(POLLER_THREADS));
        p.setProperty("egnyte.rate-limit.qps", "1000");
        return p;
    }

    /** Each test starts with no poll running (the one before may have left one finishing). */
    @BeforeEach
    void noPollRunning() {
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc().queryForObject(
                "SELECT COUNT(*) FROM element_instance WHERE poll_lease_owner IS NOT NULL", Integer.class) == 0);
    }

    @Test
    void aNewInstanceIsPolledAtOnceNotAtTheNextLook() throws Exception {
        Instance instance = createInstance(sink.url("/new"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);

        await().atMost(Duration.ofSeconds(5)).until(() -> !callsOf(instance).isEmpty());
    }

    @Test
    void aDueTimeReadFromTheScheduleIsKeptToTheMomentAndNotBefore() throws Exception {
        Instance instance = createInstance(sink.url("/due-later"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
        await().atMost(Duration.ofSeconds(5)).until(() -> callsOf(instance).size() == 1 && leaseOwner(instance) == null);
        Instant due = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        jdbc().update("UPDATE element_instance SET next_poll_at = ? WHERE id = ?", Timestamp.from(due), instance.id());

        wakeup().wake(); // as any change of the schedule on this node does: the look reads the due time

        await().atMost(Duration.ofSeconds(6)).until(() -> callsOf(instance).size() == 2);
        Instant polledAt = callsOf(instance).get(1).receivedAt();
        assertThat(polledAt).as("the poll due at %s", due).isAfterOrEqualTo(due).isBefore(due.plusMillis(1_500));
    }

    @Test
    void anInstanceIsPolledOnEveryBeatAndNeverBeforeIt() throws Exception {
        Duration interval = Duration.ofMillis(1_002);
        Instant before = Instant.now();
        Instance instance = createInstance(sink.url("/every-second"), null); // every 1.002 s, first beat now
        Instant after = Instant.now();

        await().atMost(Duration.ofSeconds(10)).until(() -> callsOf(instance).size() >= 4);
        List<RecordedRequest> calls = callsOf(instance);
        for (int beat = 1; beat < 4; beat++) {
            // fixed rate: the n-th beat is n intervals after the first, however late the poll before it started
            Instant earliest = before.plus(interval.multipliedBy(beat));
            assertThat(calls.get(beat).receivedAt()).as("poll on beat %d", beat)
                    .isAfterOrEqualTo(earliest).isBefore(after.plus(interval.multipliedBy(beat)).plusSeconds(3));
        }
    }

    @Test
    void aPollWaitingForAThreadStartsWhenOneIsFreed() throws Exception {
        egnyte.delayNext(POLLER_THREADS, 1_500);
        Instance first = createInstance(sink.url("/first"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
        createInstance(sink.url("/second"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
        await().atMost(Duration.ofSeconds(5)).until(() -> egnyte.inFlight() == POLLER_THREADS);
        Instance waiting = createInstance(sink.url("/waiting"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);

        await().atMost(Duration.ofSeconds(8)).until(() -> !callsOf(waiting).isEmpty());
        assertThat(callsOf(waiting).get(0).receivedAt()).as("after a thread's poll ended")
                .isAfter(callsOf(first).get(0).receivedAt().plusMillis(1_400));
    }

    @Test
    void leasesAreRenewedWhileAPollOutlastsThemWithoutTheSchedulerSpinning() throws Exception {
        egnyte.delayNext(1, 6_000);
        Instance slow = createInstance(sink.url("/outlasts-lease"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
        await().atMost(Duration.ofSeconds(5)).until(() -> leaseOwner(slow) != null && egnyte.inFlight() > 0);
        NotifyBuilder looks = new NotifyBuilder(context).fromRoute("schedule-due-polls").whenDone(10).create();

        // a lease of 3 s, held for 4.5 s of a 6 s poll: renewed every second
        await().during(Duration.ofMillis(4_500)).atMost(Duration.ofSeconds(5)).until(() -> leaseHeldNow(slow));
        assertThat(looks.matches()).as("10 looks or more in 4.5 s").isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> leaseOwner(slow) == null);
    }

    @Test
    void anIntervalChangedWhileAPollRunsIsPolledAsSoonAsThatPollEnds() throws Exception {
        egnyte.delayNext(1, 1_500);
        Instance instance = createInstance(sink.url("/changed-while-running"), null, eventsResource("/hubs/documents/events"),
                TEN_MINUTES);
        await().atMost(Duration.ofSeconds(5)).until(() -> leaseOwner(instance) != null && egnyte.inFlight() > 0);
        Instance changed = withInterval(reload(instance), "20");
        instances().update(changed);

        // due at once, but the running poll's lease keeps it from the look this wakes (a thread is free, so nothing
        // else wakes the scheduler when that poll ends: its settle does, as the schedule changed under it)
        scheduler().refresh(changed);

        await().atMost(Duration.ofSeconds(6)).until(() -> callsOf(instance).size() == 2);
        assertThat(scheduler().scheduledIntervalMs(instance.id())).isEqualTo(1_200_000L);
    }

    // ---------------------------------------------- what DuePolls asks of the scheduler, one step at a time

    @Test
    void aPollThatEndsWakesTheSchedulerAtItsNextBeat() throws Exception {
        withTheSchedulerStopped(() -> {
            Instance instance = createInstance(sink.url("/next-beat"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
            RecordingWakeup wakeup = new RecordingWakeup();
            DuePolls duePolls = new DuePolls(jdbc(), new ClusterNode("recording-node", true), 2, Duration.ofSeconds(60), wakeup, BridgeMetrics.of(context));

            duePolls.settle(startPoll(duePolls, instance));

            assertThat(wakeup.wakes).as("woken at once").hasValue(0);
            assertThat(wakeup.wakeAts).singleElement().isEqualTo(scheduler().nextPollAt(instance.id()));
        });
    }

    @Test
    void aPollThatEndsWakesTheSchedulerAtOnceWhenItsScheduleChangedOrEveryThreadWasTaken() throws Exception {
        withTheSchedulerStopped(() -> {
            Instance changed = createInstance(sink.url("/changed"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
            RecordingWakeup wakeup = new RecordingWakeup();
            DuePolls twoThreads = new DuePolls(jdbc(), new ClusterNode("recording-node", true), 2, Duration.ofSeconds(60), wakeup, BridgeMetrics.of(context));
            Poll poll = startPoll(twoThreads, changed);
            // as a new interval does while the poll runs: due at once, but leased, so no look could claim it
            jdbc().update("UPDATE element_instance SET next_poll_at = ? WHERE id = ?", PollerScheduler.now(), changed.id());

            twoThreads.settle(poll);

            assertThat(wakeup.wakes).as("woken at once, one thread of two taken, schedule changed").hasValue(1);

            Instance busy = createInstance(sink.url("/busy"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
            scheduler().unschedule(changed.id());
            DuePolls oneThread = new DuePolls(jdbc(), new ClusterNode("recording-node-2", true), 1, Duration.ofSeconds(60), wakeup, BridgeMetrics.of(context));
            poll = startPoll(oneThread, busy);
            assertThat(oneThread.claim(new Look())).as("no free thread").isEmpty();

            oneThread.settle(poll);

            assertThat(wakeup.wakes).as("woken at once, its only thread freed").hasValue(2);
        });
    }

    @Test
    void afterALookTheSchedulerSleepsUntilTheEarliestUnclaimedPollAndTheNextLeaseRenewal() throws Exception {
        withTheSchedulerStopped(() -> {
            Instance claimed = createInstance(sink.url("/claimed"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
            Instance later = createInstance(sink.url("/later"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
            Instance latest = createInstance(sink.url("/latest"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
            Instant laterDue = Instant.now().plusSeconds(300).truncatedTo(ChronoUnit.MILLIS);
            jdbc().update("UPDATE element_instance SET next_poll_at = ? WHERE id = ?", Timestamp.from(laterDue), later.id());
            jdbc().update("UPDATE element_instance SET next_poll_at = ? WHERE id = ?",
                    Timestamp.from(laterDue.plusSeconds(60)), latest.id());
            RecordingWakeup wakeup = new RecordingWakeup();
            Duration lease = Duration.ofSeconds(60);
            DuePolls duePolls = new DuePolls(jdbc(), new ClusterNode("recording-node", true), 2, lease, wakeup, BridgeMetrics.of(context));
            Instant beforeLook = Instant.now();
            startPoll(duePolls, claimed); // the look claims the one due now, and this node holds its lease

            duePolls.planNextLook();

            assertThat(wakeup.wakes).hasValue(0);
            assertThat(wakeup.wakeAts).as("the renewal (a third of the lease on) and the earliest unclaimed poll")
                    .hasSize(2).contains(laterDue)
                    .anySatisfy(at -> assertThat(at).isBetween(beforeLook.minus(lease.dividedBy(3)),
                            Instant.now().plus(lease.dividedBy(3)).plusMillis(5)));
        });
    }

    // ------------------------------------------------------------------ helpers

    /** Records what DuePolls asks of its scheduler and runs nothing. */
    private static final class RecordingWakeup extends WakeableScheduler {
        final AtomicInteger wakes = new AtomicInteger();
        final List<Instant> wakeAts = new CopyOnWriteArrayList<>();

        RecordingWakeup() {
            super("recording", Duration.ofMinutes(1));
        }

        @Override
        public void wake() {
            wakes.incrementAndGet();
        }

        @Override
        public void wakeAt(Instant when) {
            wakeAts.add(when);
        }
    }

    private interface Steps {
        void run() throws Exception;
    }

    /** This test's DuePolls is the only one that claims: the route's is stopped meanwhile. */
    private void withTheSchedulerStopped(Steps steps) throws Exception {
        context.getRouteController().stopRoute("schedule-due-polls");
        try {
            steps.run();
        } finally {
            context.getRouteController().startRoute("schedule-due-polls");
        }
    }

    /** Claims the instance (due now) as a look does, and starts its poll as run-due-poll does. */
    private Poll startPoll(DuePolls duePolls, Instance instance) {
        List<DuePoll> claimed = duePolls.claim(new Look());
        assertThat(claimed).extracting(DuePoll::instanceId).containsExactly(instance.id());
        return duePolls.begin(claimed.get(0));
    }

    private static Instance withInterval(Instance i, String minutes) {
        ObjectNode configuration = i.configuration().deepCopy();
        configuration.put("event.poller.refresh_interval", minutes);
        return new Instance(i.id(), i.owner(), i.name(), i.elementKey(), i.subdomain(), configuration, i.secrets(), i.tags(),
                i.eventsEnabled(), i.valid(), i.disabled(), i.createdDate(), i.updatedDate(), i.pollerState());
    }

    private WakeableScheduler wakeup() {
        return context.getRegistry().lookupByNameAndType("pollWakeup", WakeableScheduler.class);
    }

    private JdbcTemplate jdbc() {
        return context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
    }

    private String leaseOwner(Instance instance) {
        return jdbc().queryForObject("SELECT poll_lease_owner FROM element_instance WHERE id = ?", String.class, instance.id());
    }

    private boolean leaseHeldNow(Instance instance) {
        Timestamp until = jdbc().queryForObject("SELECT poll_lease_until FROM element_instance WHERE id = ?",
                Timestamp.class, instance.id());
        return leaseOwner(instance) != null && until != null && until.toInstant().isAfter(Instant.now());
    }
}
