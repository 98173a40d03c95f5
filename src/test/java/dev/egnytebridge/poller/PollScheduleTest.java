package dev.egnytebridge.poller;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.cluster.ClusterNode;
import dev.egnytebridge.instance.Instance;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The poll schedule in the database (routes/schedule-polls.yaml): one scheduler claims due polls for a bounded pool
 * of poller threads, each claim leased in the instance's row.
 */
class PollScheduleTest extends PipelineTestSupport {

    private static final int POLLER_THREADS = 2;
    private static final String TEN_MINUTES = "10";

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.poller.threads", String.valueOf(POLLER_THREADS));
        p.setProperty("bridge.poller.idle-check-ms", "1000");
        // some tests write the schedule as another node would: a single node's fallback look, made as short
        p.setProperty("bridge.standalone.idle-check-ms", "1000");
        p.setProperty("egnyte.rate-limit.qps", "1000");
        return p;
    }

    @Test
    void pollsANewInstanceAtOnceRatherThanOneIntervalLater() throws Exception {
        Instance instance = createInstance(sink.url("/at-once"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);

        // polled, and that poll settled
        await().atMost(Duration.ofSeconds(10)).until(() -> callCount(instance) > 0 && leaseOwner(instance) == null);
        Instant next = scheduler().nextPollAt(instance.id());
        assertThat(next).as("the next poll, one interval on").isAfter(Instant.now().plus(Duration.ofMinutes(9)));
        assertThat(scheduler().scheduledIntervalMs(instance.id())).isEqualTo(600_000L);
    }

    @Test
    void anIdleSchedulerLooksAboutOnceASecondNotOnEveryTick() throws Exception {
        // whatever an earlier test left running has ended, and nothing is due
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc().queryForObject(
                "SELECT COUNT(*) FROM element_instance WHERE poll_lease_owner IS NOT NULL", Integer.class) == 0);
        NotifyBuilder fallbackLook = new NotifyBuilder(context).fromRoute("schedule-due-polls").whenDone(1).create();
        NotifyBuilder everyTick = new NotifyBuilder(context).fromRoute("schedule-due-polls").whenDone(8).create();

        assertThat(fallbackLook.matches(3, TimeUnit.SECONDS)).as("a look within bridge.poller.idle-check-ms").isTrue();
        assertThat(everyTick.matches(3, TimeUnit.SECONDS)).as("8 looks in 3 s or more (a 250 ms timer makes 12)").isFalse();
    }

    @Test
    void aScheduleChangedByAnotherNodeIsFoundByTheFallbackLook() throws Exception {
        Instance instance = createInstance(sink.url("/other-node"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
        await().atMost(Duration.ofSeconds(10)).until(() -> callCount(instance) == 1 && leaseOwner(instance) == null);

        // as another node's API call writes it: due now, and nothing on this node is woken
        jdbc().update("UPDATE element_instance SET next_poll_at = ? WHERE id = ?", PollerScheduler.now(), instance.id());

        // within bridge.poller.idle-check-ms (1 s here), with room for a slow machine
        await().atMost(Duration.ofSeconds(3)).until(() -> callCount(instance) == 2);
    }

    @Test
    void neverRunsMorePollsAtOnceThanItHasPollerThreads() throws Exception {
        egnyte.delayNext(100, 300);
        egnyte.resetMaxInFlight();
        List<Instance> many = new ArrayList<>();
        for (int i = 0; i < 3 * POLLER_THREADS; i++) {
            many.add(createInstance(sink.url("/bounded-" + i), null, eventsResource("/hubs/documents/events"), TEN_MINUTES));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> many.stream().allMatch(i -> callCount(i) > 0));
        assertThat(egnyte.maxInFlight()).as("most Egnyte calls at once").isEqualTo(POLLER_THREADS);
    }

    @Test
    void neverStartsASecondPollOfAnInstanceWhileOneStillRuns() throws Exception {
        // every call takes longer than the one-second interval
        egnyte.delayNext(4, 1_500);
        Instance slow = createInstance(sink.url("/slow"), null);
        String token = slow.secrets().accessToken();

        await().atMost(Duration.ofSeconds(30)).until(() -> callCount(slow) >= 3);
        assertThat(egnyte.maxInFlight(token)).as("polls of one instance at once").isEqualTo(1);
    }

    @Test
    void leavesAnInstanceClaimedByAnotherNodeAloneUntilTheClaimRunsOut() throws Exception {
        Instance instance = createInstance(sink.url("/claimed"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
        await().atMost(Duration.ofSeconds(10)).until(() -> callCount(instance) > 0);
        int before = callCount(instance);
        Instant leaseEnds = Instant.now().plusSeconds(6);
        // due now, but claimed by a node that died while polling it
        jdbc().update("UPDATE element_instance SET next_poll_at = ?, poll_lease_owner = 'dead-node', poll_lease_until = ? "
                + "WHERE id = ?", Timestamp.from(Instant.now().minusSeconds(1)), Timestamp.from(leaseEnds), instance.id());

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> callCount(instance) == before);
        await().atMost(Duration.ofSeconds(20)).until(() -> callCount(instance) > before);
        assertThat(Instant.now()).as("polled again once the claim ran out").isAfter(leaseEnds);
        await().atMost(Duration.ofSeconds(5)).until(() -> leaseOwner(instance) == null);
    }

    @Test
    void aPollerStoppedWhileItsPollRunsStaysStopped() throws Exception {
        egnyte.delayNext(1, 2_000);
        Instance instance = createInstance(sink.url("/stopped"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
        await().atMost(Duration.ofSeconds(10)).until(() -> leaseOwner(instance) != null && egnyte.inFlight() > 0);

        scheduler().unschedule(instance.id());

        await().atMost(Duration.ofSeconds(10)).until(() -> leaseOwner(instance) == null);
        assertThat(scheduler().isScheduled(instance.id())).as("put back by the poll that was running").isFalse();
    }

    @Test
    void aSingleNodeReleasesTheClaimsOfItsCrashedRunWhenItStarts() throws Exception {
        Instance instance = createInstance(sink.url("/crashed"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
        scheduler().unschedule(instance.id()); // out of the running scheduler's way
        claimForAnHour(instance);

        newDuePolls(new ClusterNode("restarted-single-node", false)).start();

        assertThat(leaseOwner(instance)).isNull();
    }

    @Test
    void aClusterNodeLeavesClaimsItFindsAtStartToRunOut() throws Exception {
        Instance instance = createInstance(sink.url("/live-node"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
        scheduler().unschedule(instance.id());
        claimForAnHour(instance);

        newDuePolls(new ClusterNode("starting-cluster-node", true)).start();

        assertThat(leaseOwner(instance)).as("a live node's claim").isEqualTo("dead-or-alive-node");
    }

    @Test
    void aChangedIntervalIsPolledAtOnceAndThenKept() throws Exception {
        Instance instance = createInstance(sink.url("/changed"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
        await().atMost(Duration.ofSeconds(10)).until(() -> callCount(instance) > 0);
        int before = callCount(instance);
        Instance changed = withInterval(reload(instance), "20");
        instances().update(changed);

        scheduler().refresh(changed);

        await().atMost(Duration.ofSeconds(10)).until(() -> callCount(instance) > before);
        assertThat(scheduler().scheduledIntervalMs(instance.id())).isEqualTo(1_200_000L);
        await().atMost(Duration.ofSeconds(5)).until(() -> scheduler().nextPollAt(instance.id())
                .isAfter(Instant.now().plus(Duration.ofMinutes(19))));
    }

    @Test
    void aClaimWhosePollNeverStartedStopsHoldingAThreadOnceItsLeaseRunsOut() throws Exception {
        context.getRouteController().stopRoute("schedule-due-polls"); // this test's DuePolls is the only scheduler
        try {
            Instance first = createInstance(sink.url("/lost-1"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
            createInstance(sink.url("/lost-2"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
            DuePolls oneThread = new DuePolls(jdbc(), new ClusterNode("one-thread-node", true), 1, Duration.ofSeconds(1));
            Look look = new Look();

            assertThat(oneThread.claim(look)).extracting(DuePoll::instanceId).containsExactly(first.id());
            // the claimed poll is never started (its exchange lost): its only thread stays taken while the lease holds
            assertThat(oneThread.claim(look)).isEmpty();
            assertThat(look.moreDue()).isFalse();

            await().atMost(Duration.ofSeconds(10)).until(() -> !oneThread.claim(look).isEmpty());
        } finally {
            context.getRouteController().startRoute("schedule-due-polls");
        }
    }

    @Test
    void aNodeStoppedCleanlyReleasesTheClaimsItStillHolds() throws Exception {
        context.getRouteController().stopRoute("schedule-due-polls");
        try {
            Instance instance = createInstance(sink.url("/clean-stop"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
            DuePolls stopping = new DuePolls(jdbc(), new ClusterNode("stopping-node", true), 1, Duration.ofSeconds(60));
            stopping.start();
            assertThat(stopping.claim(new Look())).extracting(DuePoll::instanceId).containsExactly(instance.id());
            assertThat(leaseOwner(instance)).isEqualTo("stopping-node");

            stopping.stop();

            assertThat(leaseOwner(instance)).as("left for the other nodes to take at once").isNull();
            assertThat(scheduler().isScheduled(instance.id())).isTrue();
        } finally {
            context.getRouteController().startRoute("schedule-due-polls");
        }
    }

    @Test
    void atStartSchedulesTheInstancesTheScheduleLacksAndLeavesTheOthersOnTheirBeat() throws Exception {
        Instance kept = createInstance(sink.url("/kept"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
        Instance stored = createInstance(sink.url("/stored"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
        await().atMost(Duration.ofSeconds(10)).until(() -> callCount(kept) > 0 && leaseOwner(kept) == null);
        Instant keptNext = scheduler().nextPollAt(kept.id());
        // as an instance stored before the schedule existed (migration V3) is found
        jdbc().update("UPDATE element_instance SET next_poll_at = NULL, poll_interval_ms = NULL WHERE id = ?", stored.id());

        scheduler().scheduleAll();

        assertThat(scheduler().scheduledIntervalMs(stored.id())).isEqualTo(600_000L);
        assertThat(scheduler().nextPollAt(kept.id())).isEqualTo(keptNext);
    }

    // ------------------------------------------------------------------ helpers

    private int callCount(Instance instance) {
        return callsOf(instance).size();
    }

    private JdbcTemplate jdbc() {
        return context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
    }

    private String leaseOwner(Instance instance) {
        return jdbc().queryForObject("SELECT poll_lease_owner FROM element_instance WHERE id = ?", String.class, instance.id());
    }

    private void claimForAnHour(Instance instance) {
        jdbc().update("UPDATE element_instance SET poll_lease_owner = 'dead-or-alive-node', poll_lease_until = ? WHERE id = ?",
                Timestamp.from(Instant.now().plusSeconds(3600)), instance.id());
    }

    private DuePolls newDuePolls(ClusterNode node) {
        return new DuePolls(jdbc(), node, 1, Duration.ofSeconds(60));
    }

    private static Instance withInterval(Instance i, String minutes) {
        ObjectNode configuration = i.configuration().deepCopy();
        configuration.put("event.poller.refresh_interval", minutes);
        return new Instance(i.id(), i.owner(), i.name(), i.elementKey(), i.subdomain(), configuration, i.secrets(), i.tags(),
                i.eventsEnabled(), i.valid(), i.disabled(), i.createdDate(), i.updatedDate(), i.pollerState());
    }
}
