package dev.egnytebridge.security;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.egnytebridge.ApiException;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.Exchange;

/**
 * Bean {@code apiAuth}: the first step of every REST route. Checks the Authorization header in constant time, removes
 * it from the message (so it is never echoed back or forwarded) and records who called in exchange properties.
 */
public class ApiAuthenticator {

    /** Exchange property holding the authenticated user's name. */
    public static final String USER = "bridgeUser";
    /** Exchange property holding the {@link Instance} named by the header's {@code Element} token. */
    public static final String INSTANCE = "bridgeInstance";

    private static final String AUTHORIZATION = "Authorization";

    private final SecurityCredentials credentials;
    private final Supplier<InstanceStore> instances;

    public ApiAuthenticator(SecurityCredentials credentials, Supplier<InstanceStore> instances) {
        this.credentials = credentials;
        this.instances = instances;
    }

    /** Authenticates {@code User ..., Organization ...}; sets property {@value #USER}. */
    public void user(Exchange exchange) {
        String user = authenticate(header(exchange)).orElseThrow(ApiAuthenticator::unauthorized);
        exchange.setProperty(USER, user);
    }

    /**
     * Authenticates {@code User ..., Organization ..., Element <instance token>} for calls scoped to one instance of
     * the caller; sets properties {@value #USER} and {@value #INSTANCE}.
     */
    public void element(Exchange exchange) {
        Optional<AuthorizationHeader> header = header(exchange);
        String user = authenticate(header).orElseThrow(ApiAuthenticator::unauthorized);
        String token = header.flatMap(AuthorizationHeader::elementToken)
                .orElseThrow(() -> new ApiException(401, null, "This call needs the instance token: "
                        + "Authorization: User <secret>, Organization <secret>, Element <instance token>"));
        Instance instance = instances.get().findByTokenHash(Tokens.sha256Hex(token))
                .filter(found -> found.owner().equals(user))
                .orElseThrow(ApiAuthenticator::unauthorized);
        exchange.setProperty(USER, user);
        exchange.setProperty(INSTANCE, instance);
    }

    /** The user whose secret matches, when the organization secret matches too. */
    Optional<String> authenticate(Optional<AuthorizationHeader> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        boolean organization = Tokens.sameSecret(header.get().organizationSecret(), credentials.organizationSecret());
        String match = null;
        // look at every user, so the time taken does not tell which one matched
        for (Map.Entry<String, String> user : credentials.users().entrySet()) {
            if (Tokens.sameSecret(header.get().userSecret(), user.getValue())) {
                match = user.getKey();
            }
        }
        return organization && match != null ? Optional.of(match) : Optional.empty();
    }

    private static Optional<AuthorizationHeader> header(Exchange exchange) {
        String value = exchange.getMessage().getHeader(AUTHORIZATION, String.class);
        exchange.getMessage().removeHeader(AUTHORIZATION);
        return AuthorizationHeader.parse(value);
    }

    private static ApiException unauthorized() {
        return new ApiException(401, null,
                "Missing or wrong credentials: send Authorization: User <secret>, Organization <secret>");
    }
}
