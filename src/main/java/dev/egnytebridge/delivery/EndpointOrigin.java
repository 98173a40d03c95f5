package dev.egnytebridge.delivery;

import java.net.URI;
import java.util.Locale;

/**
 * The endpoint of a callback URL: its origin, {@code scheme://host[:port]} with the scheme's default port left out.
 * Deliveries are isolated, capped, throttled and circuit-broken per endpoint, so every URL on one server shares them.
 */
public final class EndpointOrigin {

    private EndpointOrigin() {
    }

    /** The origin of an http(s) URL; anything else cannot be delivered to (IllegalArgumentException). */
    public static String of(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw new IllegalArgumentException("Callback URL is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("Callback URL must be an absolute http or https URL");
        }
        int port = uri.getPort();
        boolean defaultPort = port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** Like {@link #of(String)}, but a URL that is not http(s) is its own endpoint (its deliveries fail alone). */
    public static String orItself(String url) {
        try {
            return of(url);
        } catch (IllegalArgumentException e) {
            return url.length() > 300 ? url.substring(0, 300) : url;
        }
    }
}
