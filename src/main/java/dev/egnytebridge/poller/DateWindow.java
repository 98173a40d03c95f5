package dev.egnytebridge.poller;

import java.time.Duration;
import java.time.Instant;

import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.ResourceConfig;
import org.apache.camel.Exchange;

/**
 * The date-window enricher: a resource polled by date reads what changed from the end of its previous window (minus
 * the resource's {@code pollDelay}, for providers whose dates lag) up to the start of this poll. The first window of a
 * resource starts when the instance was created. The new window end is stored only with the hand-off's commit.
 * Windows overlap by {@link #OVERLAP}: providers often give dates to the second only (RFC 1123), and an object changed
 * in the last fraction of a second before a window's end must not fall between two windows. The idempotent filter
 * drops what the overlap reads twice.
 */
public class DateWindow {

    public static final String START = "bridgeWindowStart";
    public static final String END = "bridgeWindowEnd";
    static final Duration OVERLAP = Duration.ofSeconds(2);

    private final PollCursors cursors;

    public DateWindow(PollCursors cursors) {
        this.cursors = cursors;
    }

    public void open(Exchange exchange) {
        Instance instance = PollSession.instance(exchange);
        ResourceConfig resource = PollSession.resource(exchange);
        Instant end = exchange.getProperty(PollSession.POLL_STARTED, Instant.class);
        Instant previousEnd = cursors.find(instance.id(), resource.key())
                .map(PollCursors.Position::windowEnd)
                .orElse(instance.createdDate());
        Instant start = (previousEnd == null ? end : previousEnd).minus(OVERLAP).minusSeconds(resource.pollDelaySeconds());
        exchange.setProperty(START, start);
        exchange.setProperty(END, end);
        exchange.setProperty(PollCursors.NEXT_WINDOW_END, end);
    }
}
