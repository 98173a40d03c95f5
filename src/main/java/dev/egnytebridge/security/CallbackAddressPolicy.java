package dev.egnytebridge.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.egnytebridge.api.ApiException;

/**
 * Bean {@code callbackAddressPolicy}: where the bridge may POST notifications. Callback URLs must be http(s), and
 * unless {@code bridge.callbacks.allow-private-addresses=true} they must not reach the bridge's own network: loopback,
 * private, link-local, unspecified, multicast, shared (CGNAT) and cloud metadata addresses are refused, so an instance
 * cannot turn the bridge into a proxy into the network it runs in (SSRF).
 * <p>
 * Checked twice: when an instance is configured (the URL as written, without DNS, which may not resolve yet), and
 * before every delivery attempt, where the host is resolved once and the request connects to the address checked.
 */
public class CallbackAddressPolicy {

    /** The property that lets loopback and private callbacks through (tests, a receiver on the same network). */
    public static final String ALLOW_PRIVATE_PROPERTY = "bridge.callbacks.allow-private-addresses";

    /** Host names of cloud metadata services and names that always mean this machine (RFC 6761). */
    private static final Set<String> REFUSED_NAMES = Set.of("metadata.google.internal", "metadata.goog", "metadata",
            "instance-data", "instance-data.ec2.internal", "localhost", "localhost.localdomain", "ip6-localhost",
            "ip6-loopback");

    /** Resolves a host to all its addresses; the system resolver, which the delivery HTTP client uses as well. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Thrown before a delivery attempt whose host is refused: the attempt is recorded as failed, nothing is sent. */
    public static class RefusedCallbackAddress extends Exception {
        public RefusedCallbackAddress(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public CallbackAddressPolicy(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public CallbackAddressPolicy(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    public boolean allowsPrivateAddresses() {
        return allowPrivate;
    }

    /** At instance create and PATCH: every URL must be http(s) and not written with a refused address; else a 400 on {@code field}. */
    public void checkConfigured(String field, List<String> urls) {
        for (String url : urls) {
            String host = host(url).orElseThrow(() -> ApiException.badField(field, "'" + shown(url) + "' is not an http(s) URL"));
            if (allowPrivate) {
                continue;
            }
            Optional<String> refused = refusedName(host);
            if (refused.isEmpty()) {
                refused = literal(host).flatMap(CallbackAddressPolicy::refusedAddress);
            }
            refused.ifPresent(why -> {
                throw ApiException.badField(field, "'" + shown(url) + "' points at " + why + " address; callbacks must be "
                        + "public http(s) URLs (" + ALLOW_PRIVATE_PROPERTY + " is false)");
            });
        }
    }

    /**
     * The address a delivery to this URL connects to: the host is resolved once, here, and refused when any of its
     * addresses is refused; the HTTP client then connects to exactly this address (no second lookup that a DNS
     * rebinding could answer differently).
     */
    public InetAddress addressToConnect(String url) throws RefusedCallbackAddress, UnknownHostException {
        String host = host(url).orElseThrow(() -> new RefusedCallbackAddress("callback URL is not an http(s) URL"));
        InetAddress[] addresses = resolver.resolve(bare(host));
        if (addresses.length == 0) {
            throw new UnknownHostException("callback host " + host + " has no address");
        }
        if (!allowPrivate) {
            // what the name resolves to now is what is connected to: names are judged by their addresses
            for (InetAddress address : addresses) {
                Optional<String> why = refusedAddress(address);
                if (why.isPresent()) {
                    throw new RefusedCallbackAddress("callback host " + host + " resolves to " + address.getHostAddress()
                            + ", " + why.get() + " address; not sent (" + ALLOW_PRIVATE_PROPERTY + " is false)");
                }
            }
        }
        return addresses[0];
    }

    /** Why an address is refused ("a loopback", "a private", ...), or empty when callbacks may go to it. */
    public static Optional<String> refusedAddress(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            if (isMetadataV6(b)) {
                return Optional.of("a cloud metadata");
            }
            Optional<Inet4Address> embedded = embeddedV4(b);
            if (embedded.isPresent()) {
                return refusedAddress(embedded.get());
            }
        } else if ((b[0] & 0xff) == 169 && (b[1] & 0xff) == 254 && (b[2] & 0xff) == 169 && (b[3] & 0xff) == 254) {
            return Optional.of("a cloud metadata");
        }
        if (address.isAnyLocalAddress() || (address instanceof Inet4Address && b[0] == 0)) {
            return Optional.of("an unspecified");
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("a loopback");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast");
        }
        if (address.isSiteLocalAddress() || (address instanceof Inet6Address && (b[0] & 0xfe) == 0xfc)) {
            return Optional.of("a private");
        }
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 100 && second >= 64 && second <= 127) {
                return Optional.of("a shared (CGNAT)");
            }
            if (first >= 240) {
                return Optional.of("a reserved or broadcast");
            }
        }
        return Optional.empty();
    }

    /** fd00:ec2::254, the AWS metadata service over IPv6. */
    private static boolean isMetadataV6(byte[] b) {
        byte[] metadata = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
        return java.util.Arrays.equals(b, metadata);
    }

    /**
     * The IPv4 address inside an IPv6 one that carries it: IPv4-compatible ({@code ::a.b.c.d}, not {@code ::} or
     * {@code ::1}), NAT64 ({@code 64:ff9b::/96}) and 6to4 ({@code 2002::/16}). IPv4-mapped addresses
     * ({@code ::ffff:a.b.c.d}) are already returned by Java as IPv4.
     */
    private static Optional<Inet4Address> embeddedV4(byte[] b) {
        try {
            boolean zeroPrefix = true;
            for (int i = 0; i < 12; i++) {
                zeroPrefix &= b[i] == 0;
            }
            if (zeroPrefix && (b[12] != 0 || b[13] != 0 || b[14] != 0 || (b[15] & 0xff) > 1)) {
                return Optional.of((Inet4Address) InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
            }
            boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
            for (int i = 4; nat64 && i < 12; i++) {
                nat64 = b[i] == 0;
            }
            if (nat64) {
                return Optional.of((Inet4Address) InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
            }
            if (b[0] == 0x20 && b[1] == 0x02) {
                return Optional.of((Inet4Address) InetAddress.getByAddress(new byte[]{b[2], b[3], b[4], b[5]}));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Four bytes are always an IPv4 address", e);
        }
        return Optional.empty();
    }

    private static Optional<String> refusedName(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.endsWith(".localhost") || name.equals("localhost")) {
            return Optional.of("a loopback");
        }
        if (REFUSED_NAMES.contains(name)) {
            return Optional.of(name.startsWith("metadata") || name.startsWith("instance-data") ? "a cloud metadata" : "a loopback");
        }
        return Optional.empty();
    }

    /**
     * The address a host is written as, without any DNS lookup: an IPv6 literal in brackets, or an IPv4 literal in any
     * form Java reads without DNS (dotted, shortened like 127.1, or one number).
     */
    private static Optional<InetAddress> literal(String host) {
        String h = bare(host);
        boolean v6 = host.startsWith("[");
        boolean v4 = !h.isEmpty() && h.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
        if (!v6 && !v4) {
            return Optional.empty();
        }
        try {
            // a literal is parsed, never looked up
            return Optional.of(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The host of an http(s) URL, or empty when the URL is not one. */
    static Optional<String> host(String url) {
        if (url == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getHost().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(uri.getHost());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The URL for an error message: without its query and user info, which may carry the receiver's credentials. */
    private static String shown(String url) {
        try {
            URI uri = new URI(url.trim());
            if (uri.getHost() != null) {
                return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                        + (uri.getRawPath() == null ? "" : uri.getRawPath());
            }
        } catch (URISyntaxException e) {
            // shown shortened below
        }
        return url.length() > 60 ? url.substring(0, 60) + "..." : url;
    }
}
