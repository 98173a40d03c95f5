package dev.egnytebridge.push;

import java.time.Duration;

/**
 * The push settings ({@code bridge.push.*} in application.properties).
 *
 * @param coalesce    pushes within this long after a poll started wait for one poll after it
 * @param renewBefore a registration is renewed this long before Egnyte lets it expire
 * @param checkEvery  how often an active registration is checked at Egnyte (still there, still enabled)
 * @param retryAfter  how long after a failed call to Egnyte's webhooks API the upkeep tries again
 */
public record PushTimings(Duration coalesce, Duration renewBefore, Duration checkEvery, Duration retryAfter) {
}
