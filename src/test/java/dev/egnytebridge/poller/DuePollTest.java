package dev.egnytebridge.poller;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DuePollTest {

    private static final Instant PLANNED = Instant.parse("2026-11-29T10:00:00Z");
    private final DuePoll everyMinute = new DuePoll(7, PLANNED, 60_000);

    @Test
    void keepsAFixedRateFromThePlannedStartNotFromWhenThePollEnded() {
        DuePoll onTime = everyMinute.startedAt(PLANNED.plusMillis(30));
        assertThat(onTime.nextAfter(PLANNED.plusSeconds(4))).isEqualTo(PLANNED.plusSeconds(60));
    }

    @Test
    void resumesOnTheBeatAfterAPollThatRanLongerThanItsInterval() {
        DuePoll onTime = everyMinute.startedAt(PLANNED);
        assertThat(onTime.nextAfter(PLANNED.plusSeconds(130))).isEqualTo(PLANNED.plusSeconds(180));
    }

    @Test
    void neverSchedulesTheNextPollAtTheMomentThisOneEnds() {
        DuePoll onTime = everyMinute.startedAt(PLANNED);
        assertThat(onTime.nextAfter(PLANNED.plusSeconds(60))).isEqualTo(PLANNED.plusSeconds(120));
    }

    @Test
    void aPollThatStartedLateMovesTheBeatToItsRealStart() {
        // due together with many others, it waited 5 s for a free poller thread
        DuePoll late = everyMinute.startedAt(PLANNED.plusSeconds(5));
        assertThat(late.nextAfter(PLANNED.plusSeconds(6))).isEqualTo(PLANNED.plusSeconds(65));
    }

    @Test
    void instancesThatCameDueTogetherComeDueApartAfterwards() {
        Instant first = everyMinute.startedAt(PLANNED.plusMillis(10)).nextAfter(PLANNED.plusSeconds(1));
        Instant last = new DuePoll(8, PLANNED, 60_000).startedAt(PLANNED.plusSeconds(7)).nextAfter(PLANNED.plusSeconds(8));
        assertThat(java.time.Duration.between(first, last).toMillis()).isEqualTo(7_000); // the first kept its beat, the last moved to its real start
    }

    @Test
    void aPollThatWasNeverStartedKeepsItsBeat() {
        assertThat(everyMinute.nextAfter(PLANNED.plusSeconds(59))).isEqualTo(PLANNED.plusSeconds(60));
    }
}
