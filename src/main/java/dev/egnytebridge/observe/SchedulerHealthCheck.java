package dev.egnytebridge.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the poll scheduler runs. Its route is started and it has looked for due polls lately; a scheduler that
 * cannot read the schedule (database gone) stops looking, and this check goes DOWN after {@code staleAfter}.
 */
public class SchedulerHealthCheck extends AbstractHealthCheck {

    /** The route that looks for due polls (routes/schedule-polls.yaml). */
    static final String ROUTE_ID = "schedule-due-polls";
    private final Duration staleAfter;

    public SchedulerHealthCheck(Duration staleAfter) {
        super("bridge", "scheduler");
        this.staleAfter = staleAfter;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ServiceStatus status = getCamelContext().getRouteController().getRouteStatus(ROUTE_ID);
        if (status == null || !status.isStarted()) {
            builder.detail("scheduler", status == null ? "no route " + ROUTE_ID : status.name())
                    .message("The poll scheduler is not running").down();
            return;
        }
        ScheduleActivity scheduler = getCamelContext().getRegistry().lookupByNameAndType(ScheduleActivity.BEAN,
                ScheduleActivity.class);
        Instant lastLook = scheduler == null ? null : scheduler.lastLookAt();
        if (lastLook == null) {
            builder.detail("scheduler", "starting").up();
            return;
        }
        Duration since = Duration.between(lastLook, Instant.now());
        builder.detail("last look for due polls", since.toMillis() + " ms ago");
        if (since.compareTo(staleAfter) > 0) {
            builder.message("The poll scheduler has not read the schedule for " + since.toSeconds() + " s").down();
        } else {
            builder.up();
        }
    }
}
