package dev.egnytebridge.security;

import dev.egnytebridge.config.BridgeSettings;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Binds the security beans: {@code securityCredentials}, {@code secretCipher}, {@code callbackAddressPolicy} and
 * {@code publicBaseUrl}.
 */
public class SecurityConfiguration implements CamelConfiguration {

    /**
     * Camel Main lists every property at start and masks only the names it knows as sensitive (password, secret, ...);
     * these are ours. Camel compares the last segment of a key, lower-cased, without dashes.
     */
    @Override
    public void configure(CamelContext context) {
        var extension = context.getCamelContextExtension();
        String ours = "organizationsecret,users,encryptionkey,secrets";
        String existing = extension.getAdditionalSensitiveKeywords();
        extension.setAdditionalSensitiveKeywords(existing == null || existing.isBlank() ? ours : existing + "," + ours);
    }

    /**
     * The configured secrets, or those generated into the data folder at first start (its toString masks them); the
     * API's authenticator (bean apiAuth, bound with the instances) checks the Authorization header against them.
     */
    @BindToRegistry(value = "securityCredentials", lazy = true)
    public SecurityCredentials securityCredentials(@BeanInject("bridgeSettings") BridgeSettings settings) {
        return SecretsBootstrap.resolve(settings::optional, settings.dataDir());
    }

    /** Encrypts access tokens and API secrets at rest. */
    @BindToRegistry(value = "secretCipher", lazy = true)
    public SecretCipher secretCipher(@BeanInject("securityCredentials") SecurityCredentials credentials) {
        return SecretCipher.fromBase64(credentials.encryptionKey());
    }

    /** Where Egnyte's webhooks reach this bridge (bridge.public-base-url); checked at start. */
    @BindToRegistry(value = "publicBaseUrl", lazy = true)
    public PublicBaseUrl publicBaseUrl(@BeanInject("bridgeSettings") BridgeSettings settings) {
        return PublicBaseUrl.of(settings.optional(PublicBaseUrl.PROPERTY));
    }

    @BindToRegistry(value = "callbackAddressPolicy", lazy = true)
    public CallbackAddressPolicy callbackAddressPolicy(@BeanInject("bridgeSettings") BridgeSettings settings) {
        return new CallbackAddressPolicy(settings.callbacksAllowPrivateAddresses());
    }
}
