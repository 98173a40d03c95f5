package dev.egnytebridge.instance;

/**
 * What an instance must keep secret: Egnyte's access token, the OAuth API secret and the optional key that signs its
 * notifications. Stored encrypted; never logged or returned ({@link #toString()} masks them).
 */
public record InstanceSecrets(String accessToken, String apiSecret, String signatureKey) {

    public boolean hasSignatureKey() {
        return signatureKey != null && !signatureKey.isEmpty();
    }

    public InstanceSecrets withAccessToken(String token) {
        return new InstanceSecrets(token, apiSecret, signatureKey);
    }

    @Override
    public String toString() {
        return "InstanceSecrets[****]";
    }
}
