package dev.egnytebridge.instance;

/**
 * A checked {@code PATCH /instances/{id}}: the instance as it will be stored. When the patch carried a new
 * authorization code, {@code reauthorize} is set and the new access token replaces the old one.
 */
public record InstanceChange(Instance instance, boolean reauthorize) {
}
