package dev.egnytebridge.sandbox;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What each access token of the simulator may do: its OAuth scopes and whether its user is a domain administrator.
 * Egnyte refuses the webhooks API to tokens without scope {@code Egnyte.webhooks} and to non-admin users, so the
 * simulator remembers both. A token is all-powerful unless told otherwise: tokens from {@code registerToken},
 * {@code acceptCode} and {@code acceptAnyCode}, and codes authorized without a {@code scope} parameter, have every
 * scope; a code authorized with a {@code scope} parameter passes exactly those scopes on to its token. Thread-safe.
 */
final class TokenGrants {

    static final String WEBHOOKS_SCOPE = "Egnyte.webhooks";

    private final Map<String, Set<String>> scopesByCode = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> scopesByToken = new ConcurrentHashMap<>();
    private final Set<String> withoutWebhooks = ConcurrentHashMap.newKeySet();
    private final Set<String> notAdmins = ConcurrentHashMap.newKeySet();

    /** The authorize step issued this code for this {@code scope} parameter (space or comma separated; null: all). */
    void codeAuthorized(String code, String scopeParameter) {
        if (scopeParameter != null) {
            scopesByCode.put(code, Arrays.stream(scopeParameter.split("[\\s,]+"))
                    .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet()));
        }
    }

    /** The code exchange turned this code into this token: the token inherits the code's scopes. */
    void tokenIssued(String code, String token) {
        Set<String> scopes = code == null ? null : scopesByCode.remove(code);
        if (scopes != null) {
            scopesByToken.put(token, scopes);
        }
    }

    /** Takes scope {@code Egnyte.webhooks} away from this token, whatever it was granted. */
    void withoutWebhooksScope(String token) {
        withoutWebhooks.add(token);
    }

    void notAdmin(String token) {
        notAdmins.add(token);
    }

    boolean hasWebhooksScope(String token) {
        Set<String> scopes = scopesByToken.get(token);
        return !withoutWebhooks.contains(token) && (scopes == null || scopes.contains(WEBHOOKS_SCOPE));
    }

    boolean isAdmin(String token) {
        return !notAdmins.contains(token);
    }
}
