package dev.egnytebridge.egnyte;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the bridge under Egnyte's per-token limit (2 calls a second by default): every call to Egnyte first takes a
 * slot here, waiting when the token's calls come too fast, and after a 403 ERR_403_DEVELOPER_OVER_QPS also until its
 * Retry-After has passed. Tokens are keyed by their hash, so the token itself is not kept here.
 */
public class EgnyteRateLimiter {

    /** Longest single wait; a longer Retry-After fails the call instead of blocking a poller thread for long. */
    static final Duration MAX_WAIT = Duration.ofMinutes(2);
    private static final Logger LOG = LoggerFactory.getLogger(EgnyteRateLimiter.class);

    private final long intervalNanos;
    private final Waits waits;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    /** Told of every wait for a token's turn (the bridge's metrics); Egnyte's client knows no metrics of its own. */
    @FunctionalInterface
    public interface Waits {
        void waited(Long instanceId, Duration waited);
    }

    /** The next moment a token may call; guarded by its own monitor. */
    private static final class Slot {
        long nextNanos;
        long waitedNanos;
    }

    public EgnyteRateLimiter(double callsPerSecond) {
        this(callsPerSecond, (instanceId, waited) -> { });
    }

    public EgnyteRateLimiter(double callsPerSecond, Waits waits) {
        this.waits = waits;
        if (!(callsPerSecond > 0)) {
            throw new IllegalArgumentException("egnyte.rate-limit.qps must be a positive number");
        }
        this.intervalNanos = (long) (1_000_000_000L / callsPerSecond);
    }

    /**
     * Step {@code wait-for-rate-limit} of route call-egnyte: blocks until the call may go. A call without a token (the
     * OAuth code exchange) is not counted: the limit is per token.
     */
    public void waitForTurn(@ExchangeProperty(EgnyteCall.PROPERTY) EgnyteCall call) throws InterruptedException {
        String token = call.request().accessToken();
        if (token != null) {
            waits.waited(call.request().instanceId(), acquire(token));
        }
    }

    /** Blocks until the token may make its next call; returns how long it waited. */
    public Duration acquire(String accessToken) throws InterruptedException {
        Slot slot = slots.computeIfAbsent(key(accessToken), k -> new Slot());
        long wait;
        synchronized (slot) {
            long now = System.nanoTime();
            long start = Math.max(now, slot.nextNanos);
            slot.nextNanos = start + intervalNanos;
            wait = start - now;
            slot.waitedNanos += Math.max(0, wait);
        }
        if (wait > MAX_WAIT.toNanos()) {
            throw new EgnyteFault(EgnyteFault.Kind.OVER_QPS, 403, Duration.ofNanos(wait),
                    "Egnyte's per-second limit asks to wait longer than " + MAX_WAIT.toSeconds() + " s");
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        return Duration.ofNanos(Math.max(0, wait));
    }

    /** Egnyte said the token called too often: hold its next call back for {@code retryAfter}. */
    public void backOff(String accessToken, Duration retryAfter) {
        Slot slot = slots.computeIfAbsent(key(accessToken), k -> new Slot());
        synchronized (slot) {
            slot.nextNanos = Math.max(slot.nextNanos, System.nanoTime() + retryAfter.toNanos());
        }
        LOG.warn("Egnyte's per-second limit was exceeded; waiting {} s before the next call with this token",
                retryAfter.toSeconds());
    }

    /** Total time calls with this token have waited for a slot (for metrics and tests). */
    public Duration waited(String accessToken) {
        Slot slot = slots.get(key(accessToken));
        if (slot == null) {
            return Duration.ZERO;
        }
        synchronized (slot) {
            return Duration.ofNanos(slot.waitedNanos);
        }
    }

    /** How a token is known outside this class (its SHA-256 in hex): the token itself is never kept or stored. */
    public static String tokenKey(String token) {
        return key(token);
    }

    private static String key(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
