package dev.egnytebridge.instance;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.BridgeSettings;
import dev.egnytebridge.api.ApiAuthenticator;
import dev.egnytebridge.api.ApiErrors;
import dev.egnytebridge.api.ApiResponses;
import dev.egnytebridge.egnyte.EgnyteOAuth;
import dev.egnytebridge.security.CallbackAddressPolicy;
import dev.egnytebridge.security.SecurityCredentials;
import org.apache.camel.spi.Registry;

/**
 * Binds the beans of the instance REST API: {@code instanceRequests}, {@code instanceApi}, {@code apiResponses},
 * {@code apiErrors}, {@code apiAuth} and {@code egnyteOAuth}. Needs {@code instanceStore}, {@code bridgeObjectMapper},
 * {@code securityCredentials} and {@code callbackAddressPolicy} bound first.
 */
public final class InstanceBeans {

    private InstanceBeans() {
    }

    public static void bind(Registry registry, BridgeSettings settings) {
        InstanceStore store = registry.lookupByNameAndType("instanceStore", InstanceStore.class);
        ObjectMapper mapper = registry.lookupByNameAndType("bridgeObjectMapper", ObjectMapper.class);
        ApiResponses responses = new ApiResponses(mapper);
        registry.bind("apiResponses", responses);
        registry.bind("apiErrors", new ApiErrors(responses));
        registry.bind("egnyteOAuth", new EgnyteOAuth(settings, mapper));
        CallbackAddressPolicy callbacks = registry.lookupByNameAndType("callbackAddressPolicy", CallbackAddressPolicy.class);
        if (callbacks == null) {
            throw new IllegalStateException("Bind the security beans (callbackAddressPolicy) before the instance beans");
        }
        registry.bind("instanceRequests", new InstanceRequests(mapper, store, callbacks));
        registry.bind("instanceApi", new InstanceApi(store, mapper));
        SecurityCredentials credentials = registry.lookupByNameAndType("securityCredentials", SecurityCredentials.class);
        registry.bind("apiAuth", new ApiAuthenticator(credentials.organizationSecret(), credentials.users(),
                store::findOwnedByToken));
    }
}
