package dev.egnytebridge.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Bean {@code apiAuth}: the first step of every REST route. Checks the Authorization header in constant time and
 * removes it from the message (so it is never echoed back or forwarded). Knows the secrets it checks, not where they
 * come from, and finds an Element token's instance through {@link ElementTokens}, so it depends on no other package.
 */
public class ApiAuthenticator {

    /** Exchange property holding the authenticated user's name: every REST flow carries it, its first step sets it. */
    public static final String USER = "bridgeUser";
    /** Exchange property holding the instance named by the header's {@code Element} token (see {@link #element}). */
    public static final String INSTANCE = "bridgeInstance";
    public static final String AUTHORIZATION = "Authorization";

    /** Finds the instance an Element token was issued for, when it belongs to {@code user}. */
    @FunctionalInterface
    public interface ElementTokens {
        Optional<?> find(String token, String user);
    }

    private final String organizationSecret;
    private final Map<String, String> userSecrets;
    private final ElementTokens elements;

    public ApiAuthenticator(String organizationSecret, Map<String, String> userSecrets, ElementTokens elements) {
        this.organizationSecret = organizationSecret;
        this.userSecrets = Map.copyOf(userSecrets);
        this.elements = elements;
    }

    /**
     * The first step of a REST flow ({@code <route>-authenticate}), whose result the route keeps in property
     * {@value #USER}: the user of {@code User ..., Organization ...}; anything else is a 401.
     */
    public String user(Message request) {
        return authenticate(header(request)).orElseThrow(ApiAuthenticator::unauthorized);
    }

    /**
     * Authenticates {@code User ..., Organization ..., Element <instance token>} for calls scoped to one instance of
     * the caller; sets properties {@value #USER} and {@value #INSTANCE}, the two things such a flow carries.
     */
    public void element(Exchange exchange) {
        Optional<AuthorizationHeader> header = header(exchange.getMessage());
        String user = authenticate(header).orElseThrow(ApiAuthenticator::unauthorized);
        String token = header.flatMap(AuthorizationHeader::elementToken)
                .orElseThrow(() -> new ApiException(401, null, "This call needs the instance token: "
                        + "Authorization: User <secret>, Organization <secret>, Element <instance token>"));
        Object instance = elements.find(token, user).orElseThrow(ApiAuthenticator::unauthorized);
        exchange.setProperty(USER, user);
        exchange.setProperty(INSTANCE, instance);
    }

    /** The user whose secret matches, when the organization secret matches too. */
    Optional<String> authenticate(Optional<AuthorizationHeader> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        boolean organization = sameSecret(header.get().organizationSecret(), organizationSecret);
        String match = null;
        // look at every user, so the time taken does not tell which one matched
        for (Map.Entry<String, String> user : userSecrets.entrySet()) {
            if (sameSecret(header.get().userSecret(), user.getValue())) {
                match = user.getKey();
            }
        }
        return organization && match != null ? Optional.of(match) : Optional.empty();
    }

    /** Compares two secrets in time independent of where they differ (hashing first also hides their lengths). */
    static boolean sameSecret(String given, String expected) {
        if (given == null || expected == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(given), sha256(expected));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Optional<AuthorizationHeader> header(Message request) {
        String value = request.getHeader(AUTHORIZATION, String.class);
        request.removeHeader(AUTHORIZATION);
        return AuthorizationHeader.parse(value);
    }

    private static ApiException unauthorized() {
        return new ApiException(401, null,
                "Missing or wrong credentials: send Authorization: User <secret>, Organization <secret>");
    }
}
