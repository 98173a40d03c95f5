package dev.egnytebridge.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

import dev.egnytebridge.api.ApiException;

/**
 * {@code bridge.public-base-url}: the address Egnyte reaches this bridge at, where its webhooks are pointed
 * ({@code {base}/events/egnyte/{hook key}}). Unset by default, since only the user knows it; an instance in
 * {@code webhooks} mode needs it. Egnyte calls only https URLs, so plain http is accepted only for a loopback host
 * (the sandbox and tests), and a bad value stops the bridge at start with the property's name.
 */
public final class PublicBaseUrl {

    public static final String PROPERTY = "bridge.public-base-url";

    private final String base;

    private PublicBaseUrl(String base) {
        this.base = base;
    }

    /** Checks a configured value; empty means unset. */
    public static PublicBaseUrl of(Optional<String> configured) {
        if (configured.isEmpty()) {
            return new PublicBaseUrl(null);
        }
        String value = configured.get().trim();
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Property " + PROPERTY + " is not a valid URL: " + value);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("Property " + PROPERTY + " must be an https URL, was " + value);
        }
        if (scheme.equals("http") && !loopback(uri.getHost())) {
            throw new IllegalArgumentException("Property " + PROPERTY + " must be https (Egnyte calls only https URLs); "
                    + "plain http is accepted only for a loopback host, was " + value);
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("Property " + PROPERTY + " must not have a query or fragment, was " + value);
        }
        return new PublicBaseUrl(value);
    }

    private static boolean loopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        // a literal address only: a name is not looked up (it could resolve differently later)
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public boolean isSet() {
        return base != null;
    }

    /** The URL Egnyte's webhook for this hook key calls. */
    public String receiverUrl(String hookKey) {
        if (base == null) {
            throw new IllegalStateException(PROPERTY + " is not set");
        }
        return base + "/events/egnyte/" + hookKey;
    }

    /** A configuration in webhooks mode needs the base URL: a 400 naming the property when it is not set. */
    public void checkWebhooksMode(String field, boolean webhooks) {
        if (webhooks && base == null) {
            throw ApiException.badField(field, "webhooks needs " + PROPERTY + ", the https address Egnyte reaches "
                    + "this bridge at; it is not set on this bridge (use polling, or set the property)");
        }
    }

    @Override
    public String toString() {
        return base == null ? "(unset)" : base;
    }
}
