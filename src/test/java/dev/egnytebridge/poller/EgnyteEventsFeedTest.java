package dev.egnytebridge.poller;

import java.time.Instant;
import java.util.Map;

import dev.egnytebridge.TestSettings;
import dev.egnytebridge.egnyte.EgnyteAnswer;
import dev.egnytebridge.gaps.EventGap;
import dev.egnytebridge.instance.ResourceConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events feed reads a gap from Egnyte's page itself: when the first event Egnyte returns for the stored cursor is
 * not the one after it (Egnyte's oldest kept event is newer than the cursor), the events in between are lost, unless
 * a folder, type or suppress filter explains the distance. (The simulator, like Egnyte, answers an aged-out cursor
 * with 404, which EventGapsTest covers; this case is Egnyte's page, so it is read from a page here.)
 */
class EgnyteEventsFeedTest {

    private final EgnyteEventsFeed feed = new EgnyteEventsFeed(TestSettings.of(), null);

    @Test
    void anOldestEventNewerThanTheCursorOnAnUnfilteredFeedIsAGap() {
        Poll poll = pollAt("10", ResourceConfig.EVENTS_URL);

        feed.readPage(page(15, 20), poll);

        ResourceRead.Gap gap = poll.resource().gap();
        assertThat(gap).isNotNull();
        assertThat(gap.fromCursor()).isEqualTo("10");
        assertThat(gap.toCursor()).isEqualTo("14");
        assertThat(gap.reason()).isEqualTo(EventGap.OLDEST_NEWER_THAN_CURSOR);
    }

    @Test
    void theEventAfterTheCursorFirstIsNoGap() {
        Poll poll = pollAt("10", ResourceConfig.EVENTS_URL);

        feed.readPage(page(11, 20), poll);

        assertThat(poll.resource().gap()).isNull();
    }

    @Test
    void aFilteredFeedsFirstEventMayLieAnywhereAboveTheCursor() {
        Poll poll = pollAt("10", ResourceConfig.EVENTS_URL + "?folder=/Shared/Projects");

        feed.readPage(page(15, 20), poll);

        assertThat(poll.resource().gap()).isNull();
    }

    private static Poll pollAt(String cursor, String url) {
        Poll poll = new Poll(new DuePoll(7, Instant.now(), 60_000));
        ResourceConfig events = new ResourceConfig("events", url, "event_object_id", null, null, null, null, null,
                false, false, 0, null, 0);
        poll.read(events).startAt(cursor);
        return poll;
    }

    /** A page with no events to map, as Egnyte describes it: its oldest and latest ids. */
    private static EgnyteAnswer page(long oldest, long latest) {
        return new EgnyteAnswer(200, "{\"oldest_id\": " + oldest + ", \"latest_id\": " + latest + ", \"events\": []}",
                Map.of());
    }
}
