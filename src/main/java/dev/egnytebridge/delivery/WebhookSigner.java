package dev.egnytebridge.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a notification body two ways, so receivers can verify either: Cloud Elements'
 * {@code Elements-Webhook-Signature} (HMAC-SHA256 of the body) and Standard Webhooks' {@code webhook-signature}
 * (HMAC-SHA256 of {@code id.timestamp.body}, which also protects against replays of old requests).
 */
public final class WebhookSigner {

    public static final String ELEMENTS_SIGNATURE = "Elements-Webhook-Signature";
    public static final String WEBHOOK_ID = "webhook-id";
    public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
    public static final String WEBHOOK_SIGNATURE = "webhook-signature";

    private static final String STANDARD_SECRET_PREFIX = "whsec_";

    private WebhookSigner() {
    }

    /** The signature headers for one attempt; {@code timestamp} is this attempt's time in Unix seconds. */
    public static Map<String, String> signatureHeaders(String body, String eventId, long timestamp, String key) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ELEMENTS_SIGNATURE, elementsSignature(body, key));
        headers.put(WEBHOOK_ID, eventId);
        headers.put(WEBHOOK_TIMESTAMP, Long.toString(timestamp));
        headers.put(WEBHOOK_SIGNATURE, standardSignature(body, eventId, timestamp, key));
        return headers;
    }

    /** {@code sha256=<base64 HMAC-SHA256(body)>} with the key's UTF-8 bytes. */
    public static String elementsSignature(String body, String key) {
        return "sha256=" + hmac(key.getBytes(StandardCharsets.UTF_8), body);
    }

    /** {@code v1,<base64 HMAC-SHA256("{id}.{timestamp}.{body}")>}; a {@code whsec_} key is base64 after its prefix. */
    public static String standardSignature(String body, String eventId, long timestamp, String key) {
        return "v1," + hmac(standardKeyBytes(key), eventId + "." + timestamp + "." + body);
    }

    static byte[] standardKeyBytes(String key) {
        if (key.startsWith(STANDARD_SECRET_PREFIX)) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(key.substring(STANDARD_SECRET_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                decoded = new byte[0];
            }
            if (decoded.length == 0) {
                // the message never echoes the key itself
                throw new IllegalArgumentException("A signature key starting with whsec_ must be base64 after the prefix");
            }
            return decoded;
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static String hmac(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
