package dev.egnytebridge.egnyte;

/**
 * What the token exchange needs: the instance's Egnyte domain, its OAuth client and the authorization code the user
 * got back. {@link #toString()} masks the secret and the code.
 */
public record EgnyteOAuthGrant(String subdomain, String apiKey, String apiSecret, String callbackUrl, String code) {

    @Override
    public String toString() {
        return "EgnyteOAuthGrant[subdomain=" + subdomain + ", apiKey=" + apiKey + ", apiSecret=****, code=****]";
    }
}
