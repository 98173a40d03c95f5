package dev.egnytebridge.poller;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;

import dev.egnytebridge.instance.Instance;
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

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.poller.idle-check-ms", "60000");
        p.setProperty("bridge.poller.lease-seconds", String.valueOf(LEASE.toSeconds()));
        p.setProperty("bridge.poller.threads", "1");
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
    void aPollWaitingForTheOnlyThreadStartsWhenThatThreadIsFreed() throws Exception {
        egnyte.delayNext(1, 1_500);
        Instance first = createInstance(sink.url("/first"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);
        await().atMost(Duration.ofSeconds(5)).until(() -> egnyte.inFlight() > 0);
        Instance waiting = createInstance(sink.url("/waiting"), null, eventsResource("/hubs/documents/events"), TEN_MINUTES);

        await().atMost(Duration.ofSeconds(8)).until(() -> !callsOf(waiting).isEmpty());
        assertThat(callsOf(waiting).get(0).receivedAt()).as("after the thread's poll ended")
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

    // ------------------------------------------------------------------ helpers

    private List<RecordedRequest> callsOf(Instance instance) {
        String bearer = "Bearer " + instance.secrets().accessToken();
        return egnyte.requestsTo("/pubapi/").stream().filter(r -> bearer.equals(r.header("Authorization"))).toList();
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
