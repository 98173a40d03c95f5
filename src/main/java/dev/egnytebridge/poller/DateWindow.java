package dev.egnytebridge.poller;

import java.time.Duration;
import java.time.Instant;

import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.ResourceConfig;
import org.apache.camel.ExchangeProperty;

/**
 * The date-window enricher: a resource polled by date reads what changed from the end of its previous window (minus
 * the resource's {@code pollDelay}, for providers whose dates lag) up to the start of this poll. The first window of a
 * resource starts when the instance was created. The new window end is stored only with the hand-off's commit.
 * Windows overlap by {@link #OVERLAP}: providers often give dates to the second only (RFC 1123), and an object changed
 * in the last fraction of a second before a window's end must not fall between two windows. The idempotent filter
 * drops what the overlap reads twice.
 */
public class DateWindow {

    static final Duration OVERLAP = Duration.ofSeconds(2);

    private final PollCursors cursors;

    public DateWindow(PollCursors cursors) {
        this.cursors = cursors;
    }

    /** Step {@code enrich-date-window}: the window of the resource being read. */
    public void open(@ExchangeProperty(Poll.PROPERTY) Poll poll) {
        Instance instance = poll.instance();
        ResourceConfig resource = poll.resource().config();
        Instant end = poll.startedAt();
        Instant previousEnd = cursors.find(instance.id(), resource.key())
                .map(PollCursors.Position::windowEnd)
                .orElse(instance.createdDate());
        Instant start = (previousEnd == null ? end : previousEnd).minus(OVERLAP).minusSeconds(resource.pollDelaySeconds());
        poll.resource().window(start, end);
    }
}
