package dev.egnytebridge.instance;

import java.security.SecureRandom;
import java.util.Base64;

import dev.egnytebridge.api.ApiException;

/**
 * The checks on {@code event.notification.signature.key}: {@code "generate"} asks the bridge for a new Standard
 * Webhooks key ({@code whsec_} and 32 random bytes in base64), a {@code whsec_} key must be base64 after its prefix, and
 * any other key is used as it is (Cloud Elements' keys are plain text) with a warning that Standard Webhooks libraries
 * will not take it.
 */
final class SignatureKeys {

    /** The value that asks for a generated key. */
    static final String GENERATE = "generate";
    static final String STANDARD_PREFIX = "whsec_";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The key to store, whether the bridge made it (shown once, in this answer), and a warning about it, or null. */
    record Checked(String key, boolean generated, String warning) {
        @Override
        public String toString() {
            return "SignatureKeys.Checked[generated=" + generated + "]"; // never the key
        }
    }

    private SignatureKeys() {
    }

    static Checked check(String field, String key) {
        if (key == null) {
            return new Checked(null, false, null);
        }
        if (key.trim().equalsIgnoreCase(GENERATE)) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            return new Checked(STANDARD_PREFIX + Base64.getEncoder().encodeToString(bytes), true, null);
        }
        if (key.startsWith(STANDARD_PREFIX)) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(key.substring(STANDARD_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                decoded = new byte[0];
            }
            if (decoded.length < 16) {
                throw ApiException.badField(field, "a whsec_ key must be base64 of at least 16 bytes after its prefix "
                        + "(or send \"generate\" for a new one)");
            }
            return new Checked(key, false, null);
        }
        return new Checked(key, false, field + " is not a whsec_ key: notifications are signed with it as it is "
                + "(X-Elements-Signature and webhook-signature), but Standard Webhooks libraries only verify whsec_ "
                + "keys; send \"generate\" for one");
    }
}
