package dev.egnytebridge.poller;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DuePollTest {

    private static final Instant PLANNED = Instant.parse("2026-11-29T10:00:00Z");
    private final DuePoll everyMinute = new DuePoll(7, PLANNED, 60_000);

    @Test
    void keepsAFixedRateFromThePlannedStartNotFromWhenThePollEnded() {
        assertThat(everyMinute.nextAfter(PLANNED.plusSeconds(4))).isEqualTo(PLANNED.plusSeconds(60));
    }

    @Test
    void resumesOnTheBeatAfterAPollThatRanLongerThanItsInterval() {
        assertThat(everyMinute.nextAfter(PLANNED.plusSeconds(130))).isEqualTo(PLANNED.plusSeconds(180));
    }

    @Test
    void neverSchedulesTheNextPollAtTheMomentThisOneEnds() {
        assertThat(everyMinute.nextAfter(PLANNED.plusSeconds(60))).isEqualTo(PLANNED.plusSeconds(120));
    }

    @Test
    void aPollThatStartedLateStillKeepsItsBeat() {
        // planned at 10:00:00, started (and ended) only at 10:00:59.5
        assertThat(everyMinute.nextAfter(PLANNED.plusMillis(59_500))).isEqualTo(PLANNED.plusSeconds(60));
    }
}
