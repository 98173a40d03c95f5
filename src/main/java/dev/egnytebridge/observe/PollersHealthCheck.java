package dev.egnytebridge.observe;

import java.util.List;
import java.util.Map;

import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN while any instance whose events are on cannot be polled: its poller disabled after repeated failures, its token
 * rejected, or its last polls failing. Details name each instance and why ({@code instance.<id>}). Neither readiness
 * nor liveness: one customer's revoked token must not take the whole bridge out of a load balancer or restart it,
 * so it shows in {@code /observe/health} (all checks) for monitoring only.
 */
public class PollersHealthCheck extends AbstractHealthCheck {

    private final InstanceStore instances;

    public PollersHealthCheck(InstanceStore instances) {
        super("bridge", "pollers");
        this.instances = instances;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<Instance> failing = instances.findWithPollerProblems();
        if (failing.isEmpty()) {
            builder.up();
            return;
        }
        StringBuilder ids = new StringBuilder();
        for (Instance instance : failing) {
            ids.append(ids.isEmpty() ? "" : ",").append(instance.id());
            builder.detail("instance." + instance.id(), reason(instance));
        }
        builder.detail("instances", ids.toString());
        builder.message(failing.size() + " instance(s) not polling: " + ids).down();
    }

    static String reason(Instance instance) {
        var state = instance.pollerState();
        String why;
        if (state.pollerDisabled()) {
            why = "poller disabled after " + state.consecutiveFailures() + " failed polls";
        } else if (!instance.valid()) {
            why = "access token rejected; PATCH the instance with a new authorization code";
        } else {
            why = state.consecutiveFailures() + " failed poll(s) in a row";
        }
        if (state.lastPollError() != null) {
            why += ": " + state.lastPollError();
        }
        return jsonSafe(why);
    }

    /** Camel's health endpoint writes details into JSON as they are: keep quotes, backslashes and breaks out. */
    static String jsonSafe(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 300));
        for (int i = 0; i < text.length() && out.length() < 300; i++) {
            char c = text.charAt(i);
            out.append(c == '"' ? '\'' : c == '\\' ? '/' : c < 0x20 ? ' ' : c);
        }
        return out.toString();
    }
}
