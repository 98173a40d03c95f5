package dev.egnytebridge.security;

import dev.egnytebridge.BridgeSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** Binds the security beans: {@code securityCredentials}, {@code secretCipher} and {@code callbackAddressPolicy}. */
public final class SecurityBeans {

    private SecurityBeans() {
    }

    /** Resolves (or generates at first start) the secrets, binds the beans and returns the cipher of secrets at rest. */
    public static SecretCipher bind(CamelContext context, BridgeSettings settings) {
        maskInStartupSummary(context);
        Registry registry = context.getRegistry();
        SecurityCredentials credentials = SecretsBootstrap.resolve(settings::optional, settings.dataDir());
        SecretCipher cipher = SecretCipher.fromBase64(credentials.encryptionKey());
        registry.bind("secretCipher", cipher);
        // what the API's authenticator (bean apiAuth) checks the Authorization header against
        registry.bind("securityCredentials", credentials);
        registry.bind("callbackAddressPolicy", new CallbackAddressPolicy(settings.callbacksAllowPrivateAddresses()));
        return cipher;
    }

    /**
     * Camel Main lists every property at start and masks only the names it knows as sensitive (password, secret, ...);
     * these are ours. Camel compares the last segment of a key, lower-cased, without dashes.
     */
    private static void maskInStartupSummary(CamelContext context) {
        var extension = context.getCamelContextExtension();
        String ours = "organizationsecret,users,encryptionkey,secrets";
        String existing = extension.getAdditionalSensitiveKeywords();
        extension.setAdditionalSensitiveKeywords(existing == null || existing.isBlank() ? ours : existing + "," + ours);
    }
}
