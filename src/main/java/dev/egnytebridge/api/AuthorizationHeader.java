package dev.egnytebridge.api;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Cloud Elements Authorization header: {@code User <userSecret>, Organization <orgSecret>[, Element <token>]}.
 * Anything else (a missing part, an unknown or repeated part, an empty value) is rejected as a whole.
 */
public record AuthorizationHeader(String userSecret, String organizationSecret, Optional<String> elementToken) {

    /** Parses the header; empty when it is absent or malformed. Never says why, so nothing of it is echoed. */
    public static Optional<AuthorizationHeader> parse(String header) {
        if (header == null || header.isBlank() || header.length() > 4096) {
            return Optional.empty();
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : header.split(",")) {
            String p = part.trim();
            int space = indexOfWhitespace(p);
            if (space < 0) {
                return Optional.empty();
            }
            String keyword = p.substring(0, space).toLowerCase(Locale.ROOT);
            String value = p.substring(space + 1).trim();
            if (value.isEmpty() || !(keyword.equals("user") || keyword.equals("organization") || keyword.equals("element"))
                    || parts.putIfAbsent(keyword, value) != null) {
                return Optional.empty();
            }
        }
        if (!parts.containsKey("user") || !parts.containsKey("organization")) {
            return Optional.empty();
        }
        return Optional.of(new AuthorizationHeader(parts.get("user"), parts.get("organization"),
                Optional.ofNullable(parts.get("element"))));
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "AuthorizationHeader[****]";
    }
}
