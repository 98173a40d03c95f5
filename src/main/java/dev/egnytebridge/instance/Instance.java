package dev.egnytebridge.instance;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An element instance: one connected Egnyte domain and OAuth grant. {@code configuration} is the configuration the
 * user gave, with the secrets taken out into {@code secrets}.
 */
public record Instance(long id, String owner, String name, String elementKey, String subdomain,
                       ObjectNode configuration, InstanceSecrets secrets, List<String> tags,
                       boolean eventsEnabled, boolean valid, boolean disabled,
                       Instant createdDate, Instant updatedDate, PollerState pollerState) {

    /** Whether the bridge should be polling this instance now (ignoring a temporary pause). */
    public boolean pollable() {
        return eventsEnabled && valid && !disabled && !pollerState.pollerDisabled();
    }

    public PollingConfiguration polling() {
        return PollingConfiguration.from(configuration);
    }

    @Override
    public String toString() {
        return "Instance[id=" + id + ", name=" + name + ", subdomain=" + subdomain + "]";
    }
}
