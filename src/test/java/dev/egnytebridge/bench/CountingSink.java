package dev.egnytebridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A fast webhook receiver for the benchmarks: keeps no bodies, only counts POSTs per path and checks each one's
 * {@code Elements-Webhook-Signature} (HMAC-SHA256 of the body) against the key it was given, independently of the
 * bridge's signer. The bridge and the baseline post to the same sink, so its cost is in both figures.
 */
public final class CountingSink implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    private final LongAdder valid = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final AtomicLong lastReceivedNanos = new AtomicLong();
    private volatile byte[] key;

    public CountingSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "bench-sink-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The signature key to check every POST against. */
    public void expectKey(String signatureKey) {
        this.key = signatureKey.getBytes(StandardCharsets.UTF_8);
    }

    public void reset() {
        received.clear();
        valid.reset();
        invalid.reset();
    }

    public long count(String path) {
        LongAdder a = received.get(path);
        return a == null ? 0 : a.sum();
    }

    public long total() {
        return received.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long validSignatures() {
        return valid.sum();
    }

    public long invalidSignatures() {
        return invalid.sum();
    }

    public long lastReceivedNanos() {
        return lastReceivedNanos.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (verify(body, exchange.getRequestHeaders().getFirst("Elements-Webhook-Signature"))) {
                valid.increment();
            } else {
                invalid.increment();
            }
            received.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new LongAdder()).increment();
            lastReceivedNanos.set(System.nanoTime());
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private boolean verify(byte[] body, String header) {
        byte[] k = key;
        if (k == null || header == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            String expected = "sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(body));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), header.trim().getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
