package dev.egnytebridge.instance;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.api.ApiAuthenticator;
import dev.egnytebridge.api.ApiErrors;
import dev.egnytebridge.api.ApiResponses;
import dev.egnytebridge.config.BridgeSettings;
import dev.egnytebridge.egnyte.EgnyteOAuth;
import dev.egnytebridge.security.CallbackAddressPolicy;
import dev.egnytebridge.security.PublicBaseUrl;
import dev.egnytebridge.security.SecretCipher;
import dev.egnytebridge.security.SecurityCredentials;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Binds the instance store and the beans of the instance REST API: {@code instanceStore}, {@code apiResponses},
 * {@code apiErrors}, {@code apiAuth}, {@code egnyteOAuth}, {@code instanceRequests}, {@code instanceApi} and
 * {@code configurationEntries}.
 */
public class InstanceConfiguration implements CamelConfiguration {

    @BindToRegistry(value = "instanceStore", lazy = true)
    public InstanceStore instanceStore(@BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                                       @BeanInject("secretCipher") SecretCipher cipher,
                                       @BeanInject("bridgeObjectMapper") ObjectMapper mapper) {
        return new InstanceStore(jdbc, cipher, mapper);
    }

    @BindToRegistry(value = "apiResponses", lazy = true)
    public ApiResponses apiResponses(@BeanInject("bridgeObjectMapper") ObjectMapper mapper) {
        return new ApiResponses(mapper);
    }

    @BindToRegistry(value = "apiErrors", lazy = true)
    public ApiErrors apiErrors(@BeanInject("apiResponses") ApiResponses responses) {
        return new ApiErrors(responses);
    }

    /** Here, not in security: it looks callers up among the instances, and security does not depend on instance. */
    @BindToRegistry(value = "apiAuth", lazy = true)
    public ApiAuthenticator apiAuth(@BeanInject("securityCredentials") SecurityCredentials credentials,
                                    @BeanInject("instanceStore") InstanceStore store) {
        return new ApiAuthenticator(credentials.organizationSecret(), credentials.users(), store::findOwnedByToken);
    }

    @BindToRegistry(value = "egnyteOAuth", lazy = true)
    public EgnyteOAuth egnyteOAuth(CamelContext context,
                                   @BeanInject("bridgeSettings") BridgeSettings settings,
                                   @BeanInject("bridgeObjectMapper") ObjectMapper mapper) {
        EgnyteOAuth oauth = new EgnyteOAuth(settings, mapper);
        oauth.setCamelContext(context); // it sends the code exchange through route call-egnyte
        return oauth;
    }

    @BindToRegistry(value = "instanceRequests", lazy = true)
    public InstanceRequests instanceRequests(@BeanInject("bridgeObjectMapper") ObjectMapper mapper,
                                             @BeanInject("instanceStore") InstanceStore store,
                                             @BeanInject("callbackAddressPolicy") CallbackAddressPolicy callbacks,
                                             @BeanInject("publicBaseUrl") PublicBaseUrl publicBase) {
        return new InstanceRequests(mapper, store, callbacks, publicBase);
    }

    @BindToRegistry(value = "instanceApi", lazy = true)
    public InstanceApi instanceApi(@BeanInject("instanceStore") InstanceStore store,
                                   @BeanInject("bridgeObjectMapper") ObjectMapper mapper) {
        return new InstanceApi(store, mapper);
    }

    @BindToRegistry(value = "configurationEntries", lazy = true)
    public ConfigurationEntries configurationEntries(@BeanInject("instanceStore") InstanceStore store,
                                                     @BeanInject("bridgeObjectMapper") ObjectMapper mapper) {
        return new ConfigurationEntries(store, mapper);
    }
}
