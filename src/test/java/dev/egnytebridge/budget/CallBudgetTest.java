package dev.egnytebridge.budget;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.egnytebridge.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token's daily call budget lasts the day: the poll plan of its instances, played over simulated days on a clock
 * the test moves (no waiting), never lets the token make more calls in any 24 hours than the budget allows.
 */
class CallBudgetTest {

    private static final Duration DAY = Duration.ofHours(24);
    private static final Instant START = Instant.parse("2026-12-01T00:03:00Z");

    private final MovableClock clock = new MovableClock(START);
    private HikariDataSource dataSource;
    private JdbcTemplate jdbc;

    @BeforeEach
    void database() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:budget-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUsername("sa");
        Database.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void aBudgetOfTwentyCallsADayKeepsAnInstanceAskingForAPollASecondToTwentyCallsInAnyDay() {
        CallBudget budget = new CallBudget(jdbc, 20, clock);

        List<Instant> calls = playPolls(budget, List.of(1L), "token-a", Duration.ofSeconds(1), START.plus(DAY.multipliedBy(3)));

        assertThat(mostCallsInAnyDay(calls)).isLessThanOrEqualTo(20);
        // spread evenly over the day, not spent in its first minutes
        assertThat(callsBetween(calls, START, START.plus(DAY))).isBetween(19, 20);
        assertThat(callsBetween(calls, START, START.plus(Duration.ofHours(12)))).isBetween(9, 11);
        // the plan it played by: one poll every 24 h / 20
        CallBudget.Plan plan = budget.plan("token-b", 2, Duration.ofSeconds(1), 1);
        assertThat(plan.effectiveInterval()).isEqualTo(Duration.ofSeconds(4320));
        assertThat(plan.callsPerDay()).isEqualTo(20);
        assertThat(plan.reason()).contains("20 calls a day").contains("4320 s");
    }

    @Test
    void twoInstancesOnOneTokenShareOneBudget() {
        CallBudget budget = new CallBudget(jdbc, 20, clock);

        List<Instant> calls = playPolls(budget, List.of(1L, 2L), "shared-token", Duration.ofSeconds(1),
                START.plus(DAY.multipliedBy(2)));

        assertThat(mostCallsInAnyDay(calls)).isLessThanOrEqualTo(20);
        assertThat(callsBetween(calls, START, START.plus(DAY))).isBetween(19, 20);
        CallBudget.Plan plan = budget.plan("shared-token", 1, Duration.ofSeconds(1), 1);
        assertThat(plan.instancesOnToken()).isEqualTo(2);
        assertThat(plan.effectiveInterval()).isEqualTo(Duration.ofSeconds(8640));
        // another token is not charged for them
        assertThat(budget.plan("other-token", 3, Duration.ofSeconds(1), 1).callsLast24h()).isZero();
        clock.set(clock.instant().plus(DAY));
        budget.record(key("shared-token"), 1);
        budget.record(key("shared-token"), 2);
        assertThat(budget.plan("shared-token", 1, Duration.ofSeconds(1), 1).reason())
                .contains("2 instances poll with one Egnyte token").contains("8640 s for each");
    }

    @Test
    void aBacklogSpendsTheBudgetFirstAndThePollsAfterItWaitUntilItsCallsLeaveTheWindow() {
        CallBudget budget = new CallBudget(jdbc, 20, clock);
        for (int page = 0; page < 20; page++) {
            budget.record(key("busy-token"), 1);
        }

        Instant next = budget.nextPoll("busy-token", 1, Duration.ofMinutes(15), 1, START, START.plus(Duration.ofMinutes(15)));

        assertThat(next).isEqualTo(CallBudget.bucketOf(START).plus(DAY).plus(CallBudget.BUCKET));
        assertThat(budget.plan("busy-token", 1, Duration.ofMinutes(15), 1).reason())
                .contains("made its 20 calls of the last 24 hours");
        clock.set(next);
        assertThat(budget.plan("busy-token", 1, Duration.ofMinutes(15), 1).callsLast24h()).isZero();
    }

    @Test
    void anIntervalTheBudgetCanKeepIsKeptAndNoBudgetPlansNothing() {
        CallBudget budget = new CallBudget(jdbc, 1000, clock);
        Instant beat = START.plus(Duration.ofMinutes(15));
        assertThat(budget.nextPoll("token", 1, Duration.ofMinutes(15), 1, START, beat)).isEqualTo(beat);
        assertThat(budget.plan("token", 1, Duration.ofMinutes(15), 1).reason()).isNull();

        CallBudget unlimited = new CallBudget(jdbc, 0, clock);
        for (int call = 0; call < 5000; call++) {
            unlimited.record(key("token"), 1);
        }
        assertThat(unlimited.nextPoll("token", 1, Duration.ofSeconds(1), 1, START, START.plusSeconds(1)))
                .isEqualTo(START.plusSeconds(1));
    }

    @Test
    void anInstanceWithTwoResourcesSpendsTwoCallsAPollAndIsSpacedForThem() {
        CallBudget budget = new CallBudget(jdbc, 1000, clock);
        assertThat(budget.plan("token", 1, Duration.ofSeconds(60), 2).effectiveInterval())
                .isEqualTo(Duration.ofMillis(172_800));
    }

    /** Polls each instance in turn as the plan allows (one call per poll) until {@code end}; the calls' times. */
    private List<Instant> playPolls(CallBudget budget, List<Long> instances, String token, Duration asked, Instant end) {
        List<Instant> calls = new ArrayList<>();
        Instant[] due = new Instant[instances.size()];
        java.util.Arrays.fill(due, START);
        while (true) {
            int next = 0;
            for (int i = 1; i < due.length; i++) {
                if (due[i].isBefore(due[next])) {
                    next = i;
                }
            }
            if (!due[next].isBefore(end)) {
                return calls;
            }
            Instant started = due[next];
            clock.set(started);
            budget.record(key(token), instances.get(next));
            calls.add(started);
            due[next] = budget.nextPoll(token, instances.get(next), asked, 1, started, started.plus(asked));
        }
    }

    private static int mostCallsInAnyDay(List<Instant> calls) {
        int most = 0;
        for (Instant call : calls) {
            most = Math.max(most, callsBetween(calls, call.minus(DAY).plusMillis(1), call.plusMillis(1)));
        }
        return most;
    }

    private static int callsBetween(List<Instant> calls, Instant from, Instant to) {
        return (int) calls.stream().filter(c -> !c.isBefore(from) && c.isBefore(to)).count();
    }

    private static String key(String token) {
        return dev.egnytebridge.egnyte.EgnyteRateLimiter.tokenKey(token);
    }

    /** A clock the test sets. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant at) {
            now = at;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
