package dev.egnytebridge.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webhook receiver on loopback: records every POST per path and answers 200, or what it was told to answer for a
 * path. Tests and the sandbox mode point callback URLs at it. It can check {@code Elements-Webhook-Signature} with
 * its own HMAC-SHA256 computation, independent of the bridge's signer. Thread-safe.
 */
public final class CallbackSink implements AutoCloseable {

    public static final String SIGNATURE_HEADER = "Elements-Webhook-Signature";

    private static final Logger LOG = LoggerFactory.getLogger(CallbackSink.class);
    private static final int LOG_LIMIT = 10_000;

    /** What the sink made of a notification's signature. */
    public enum SignatureStatus {
        /** no key was given to the sink */
        NOT_CHECKED,
        /** a key was given but the request had no signature header */
        MISSING,
        VALID,
        INVALID
    }

    /**
     * One POST the sink received.
     *
     * @param request   the request as received
     * @param status    the status the sink answered
     * @param signature what the signature check found
     */
    public record Received(RecordedRequest request, int status, SignatureStatus signature) {

        public String path() {
            return request.path();
        }

        public String body() {
            return request.body();
        }

        public String header(String name) {
            return request.header(name);
        }

        public Instant receivedAt() {
            return request.receivedAt();
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final LoopbackServer http;
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Integer> statusByPath = new ConcurrentHashMap<>();
    private final Map<String, Long> delayByPath = new ConcurrentHashMap<>();
    private final Map<String, FailNext> failuresByPath = new ConcurrentHashMap<>();
    private volatile String signatureKey;

    private record FailNext(AtomicInteger remaining, int status) {
    }

    public CallbackSink() {
        this(0);
    }

    /** A sink on this loopback port (0: any free port). */
    public CallbackSink(int port) {
        this.http = new LoopbackServer("Callback sink", port, this::handle);
    }

    public CallbackSink start() {
        http.start();
        return this;
    }

    @Override
    public void close() {
        http.close();
    }

    /** {@code http://127.0.0.1:<port>} (no trailing slash). */
    public String baseUrl() {
        return http.baseUrl();
    }

    /** The full URL of a path on the sink, e.g. {@code url("/hooks/a")}. */
    public String url(String path) {
        return baseUrl() + (path.startsWith("/") ? path : "/" + path);
    }

    /** Checks every notification's signature with this HMAC key (null stops checking). */
    public CallbackSink expectSignatureKey(String key) {
        this.signatureKey = key;
        return this;
    }

    /** Answers this status to every POST on the path from now on (200 again with {@link #reset(String)}). */
    public CallbackSink respondWith(String path, int status) {
        statusByPath.put(path, status);
        return this;
    }

    /** Waits this long before answering each POST on the path. */
    public CallbackSink delay(String path, long millis) {
        delayByPath.put(path, millis);
        return this;
    }

    /** The next n POSTs on the path answer this status; later ones answer as before. */
    public CallbackSink failNext(String path, int n, int status) {
        failuresByPath.put(path, new FailNext(new AtomicInteger(n), status));
        return this;
    }

    /** Forgets the status, delay and failures set for the path. */
    public CallbackSink reset(String path) {
        statusByPath.remove(path);
        delayByPath.remove(path);
        failuresByPath.remove(path);
        return this;
    }

    /** Every POST received on the path, in arrival order. */
    public List<Received> received(String path) {
        return allReceived().stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Every POST received (the latest 10,000), in arrival order. */
    public List<Received> allReceived() {
        return SandboxHttp.snapshot(received);
    }

    public void clear() {
        synchronized (received) {
            received.clear();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            RecordedRequest request = SandboxHttp.capture(exchange);
            if (!request.method().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                SandboxHttp.send(exchange, 405, null, null);
                return;
            }
            String path = request.path();
            Long delay = delayByPath.get(path);
            if (delay != null) {
                SandboxHttp.pause(delay);
            }
            int status = statusFor(path);
            SignatureStatus signature = checkSignature(request);
            SandboxHttp.appendBounded(received, new Received(request, status, signature), LOG_LIMIT);
            logNotification(path, request.body(), status, signature);
            SandboxHttp.send(exchange, status, "text/plain", status < 300 ? "ok" : "rejected by callback sink");
        } finally {
            exchange.close();
        }
    }

    private int statusFor(String path) {
        FailNext failing = failuresByPath.get(path);
        if (failing != null && failing.remaining().getAndDecrement() > 0) {
            return failing.status();
        }
        return statusByPath.getOrDefault(path, 200);
    }

    private SignatureStatus checkSignature(RecordedRequest request) {
        String key = signatureKey;
        if (key == null) {
            return SignatureStatus.NOT_CHECKED;
        }
        String header = request.header(SIGNATURE_HEADER);
        if (header == null || header.isBlank()) {
            return SignatureStatus.MISSING;
        }
        String expected = "sha256=" + hmacSha256Base64(key, request.body());
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), header.trim().getBytes(StandardCharsets.UTF_8))
                ? SignatureStatus.VALID : SignatureStatus.INVALID;
    }

    /** Base64 of HMAC-SHA256 over the UTF-8 body, as Cloud Elements signs notifications. */
    public static String hmacSha256Base64(String key, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private void logNotification(String path, String body, int status, SignatureStatus signature) {
        String eventId = "?";
        int events = -1;
        try {
            JsonNode tree = json.readTree(body);
            if (tree.isArray()) { // an Egnyte native webhook push: an array of events
                eventId = tree.path(0).path("eventId").asText("?");
                events = tree.size();
            } else {
                JsonNode message = tree.path("message");
                eventId = message.path("eventId").asText("?");
                events = message.path("events").size();
            }
        } catch (IOException | RuntimeException e) {
            // not a notification body: still recorded, logged with unknown fields
        }
        LOG.info("Callback sink {} received eventId={} events={} signature={} -> {}", path, eventId, events, signature,
                status);
    }
}
