package dev.egnytebridge.observe;

import java.time.Instant;

/**
 * What the scheduler health check reads of the poll scheduler (bean {@code duePolls}): declared here and implemented
 * by the poller, so the poller depends on observe and not the other way round.
 */
public interface ScheduleActivity {

    /** The bean name the health check finds the scheduler under. */
    String BEAN = "duePolls";

    /** When the scheduler last looked for due polls, or null before its first look. */
    Instant lastLookAt();
}
