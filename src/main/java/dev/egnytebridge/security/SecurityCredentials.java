package dev.egnytebridge.security;

import java.util.Map;

/**
 * The secrets the bridge runs with: the organization secret and user secrets of the Authorization header, and the key
 * that encrypts instance secrets at rest. {@link #toString()} masks them.
 */
public record SecurityCredentials(String organizationSecret, Map<String, String> users, String encryptionKey) {

    public SecurityCredentials {
        users = Map.copyOf(users);
    }

    @Override
    public String toString() {
        return "SecurityCredentials[users=" + users.keySet() + ", secrets=****]";
    }
}
