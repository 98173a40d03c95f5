package dev.egnytebridge.poller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import dev.egnytebridge.store.SeenObjects;

/**
 * The idempotent filter's keys: instance, resource, the object's id and its updated date (so an object changed again
 * passes again). Keys that would not fit the repository's column keep their prefix and a hash of the rest.
 */
public final class IdempotencyKeys {

    private IdempotencyKeys() {
    }

    public static String of(long instanceId, String resource, String objectId, String updatedDate) {
        String prefix = instanceId + ":" + resource + ":";
        String rest = objectId + (updatedDate == null ? "" : "@" + updatedDate);
        String key = prefix + rest;
        if (key.length() <= SeenObjects.MAX_KEY_LENGTH) {
            return key;
        }
        // a resource key has at most 100 characters, so prefix and hash always fit
        return prefix + "#" + sha256(rest);
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
