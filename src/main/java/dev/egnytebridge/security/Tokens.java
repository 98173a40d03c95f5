package dev.egnytebridge.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random secrets and their hashes: what the bridge stores instead of a token it hands out. */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** A URL-safe random value of {@code bytes} random bytes (base64url, no padding). */
    public static String random(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes));
    }

    public static byte[] randomBytes(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return value;
    }

    /** A new instance token: 256 random bits, URL-safe. */
    public static String newInstanceToken() {
        return random(32);
    }

    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The lower-case hex SHA-256 of a token, as stored in {@code element_instance.token_hash}. */
    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value));
    }
}
