package dev.egnytebridge.delivery;

import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryScheduleTest {

    @Test
    void defaultScheduleGivesTenAttemptsOverAboutTwoDays() {
        RetrySchedule schedule = RetrySchedule.parse(RetrySchedule.DEFAULT, 0);
        assertThat(schedule.maxAttempts()).isEqualTo(10);
        assertThat(schedule.delays().get(0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(schedule.delays().stream().reduce(Duration.ZERO, Duration::plus))
                .isBetween(Duration.ofHours(44), Duration.ofHours(46));
    }

    @Test
    void parsesEveryUnit() {
        assertThat(RetrySchedule.parse(" 100ms, 2s,3m ,4h,1d", 0).delays()).containsExactly(Duration.ofMillis(100),
                Duration.ofSeconds(2), Duration.ofMinutes(3), Duration.ofHours(4), Duration.ofDays(1));
    }

    @Test
    void stopsAfterTheLastDelay() {
        RetrySchedule schedule = RetrySchedule.parse("100ms,200ms", 0);
        assertThat(schedule.delayAfter(1)).contains(Duration.ofMillis(100));
        assertThat(schedule.delayAfter(2)).contains(Duration.ofMillis(200));
        assertThat(schedule.delayAfter(3)).isEmpty();
    }

    @RepeatedTest(20)
    void spreadsDelaysWithinTheJitter() {
        assertThat(RetrySchedule.parse("10s", 0.2).delayAfter(1).orElseThrow())
                .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
    }

    @Test
    void rejectsAnEntryWithoutUnitAndABadJitter() {
        assertThatThrownBy(() -> RetrySchedule.parse("5s,30", 0.2)).hasMessageContaining("'30'");
        assertThatThrownBy(() -> RetrySchedule.parse("5s", 1.5)).hasMessageContaining("jitter");
    }
}
