package dev.egnytebridge.observe;

import java.util.Map;

import org.apache.camel.Component;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Readiness: the Quartz scheduler that fires the pollers runs. Camel creates it with the first poller, so before any
 * instance is polled there is nothing to check and the check is UP.
 */
public class SchedulerHealthCheck extends AbstractHealthCheck {

    public SchedulerHealthCheck() {
        super("bridge", "scheduler");
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Component component = getCamelContext().hasComponent("quartz");
        if (!(component instanceof QuartzComponent quartz)) {
            builder.detail("scheduler", "not created yet (no poller scheduled)").up();
            return;
        }
        Scheduler scheduler = quartz.getScheduler();
        if (scheduler == null) {
            builder.detail("scheduler", "not created yet").up();
            return;
        }
        try {
            builder.detail("scheduler", scheduler.getSchedulerName());
            if (scheduler.isShutdown()) {
                builder.message("The poller scheduler is shut down").down();
            } else if (!scheduler.isStarted() || scheduler.isInStandbyMode()) {
                builder.message("The poller scheduler is not running").down();
            } else {
                builder.detail("jobs", scheduler.getCurrentlyExecutingJobs().size() + " running").up();
            }
        } catch (SchedulerException e) {
            builder.message("The poller scheduler cannot be read").error(e).down();
        }
    }
}
