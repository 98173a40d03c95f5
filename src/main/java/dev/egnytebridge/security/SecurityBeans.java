package dev.egnytebridge.security;

import dev.egnytebridge.BridgeSettings;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.spi.Registry;

/** Binds the security beans: {@code secretCipher} and {@code apiAuth}. */
public final class SecurityBeans {

    private SecurityBeans() {
    }

    /** Resolves (or generates at first start) the secrets, binds the beans and returns the cipher of secrets at rest. */
    public static SecretCipher bind(Registry registry, BridgeSettings settings) {
        SecurityCredentials credentials = SecretsBootstrap.resolve(settings::optional, settings.dataDir());
        SecretCipher cipher = SecretCipher.fromBase64(credentials.encryptionKey());
        registry.bind("secretCipher", cipher);
        // the instance store is bound after the cipher it needs, so the authenticator looks it up when first used
        registry.bind("apiAuth", new ApiAuthenticator(credentials,
                () -> registry.lookupByNameAndType("instanceStore", InstanceStore.class)));
        return cipher;
    }
}
