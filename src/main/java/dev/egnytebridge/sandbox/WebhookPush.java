package dev.egnytebridge.sandbox;

import java.time.Instant;
import java.util.List;

/**
 * One push attempt the {@link EgnyteSimulator} made (or dropped) to a webhook receiver, recorded so tests can check
 * retries, batching and losses without a receiver of their own.
 *
 * @param webhookId the registration pushed to
 * @param url       the URL posted to
 * @param eventIds  the eventIds in the pushed array, in order
 * @param attempt   0 for the first try, 1 for the first retry, ...
 * @param status    the receiver's HTTP status; -1 when the connection failed or timed out; 0 when dropped
 * @param dropped   true when the simulator lost this push on purpose ({@code dropNextPushes}): nothing was sent
 * @param at        when the attempt ended (wall clock)
 */
public record WebhookPush(String webhookId, String url, List<String> eventIds, int attempt, int status,
                          boolean dropped, Instant at) {

    public WebhookPush {
        eventIds = List.copyOf(eventIds);
    }

    /** Whether the receiver took the push: Egnyte treats any answer but 200 as a failure. */
    public boolean delivered() {
        return status == 200;
    }
}
