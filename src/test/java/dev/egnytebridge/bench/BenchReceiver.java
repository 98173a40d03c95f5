package dev.egnytebridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver of the out-of-process fakes ({@link BenchFakesMain}): one port, so one endpoint (origin) for the
 * bridge. Counts every POST, checks its {@code Elements-Webhook-Signature} (HMAC-SHA256 of the body) against the key
 * it was given, keeps the arrival time (epoch microseconds) of the last POST and, when asked, of every POST by its
 * {@code webhook-id}. Answers 200 at once, or after {@code delayMs} without holding a thread (the answer is scheduled),
 * so any number of requests can wait at once: the receiver is never the limit of what the bridge keeps in flight.
 */
final class BenchReceiver implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService pool;
    private final ScheduledExecutorService delayer;
    private final long delayMs;
    private final LongAdder count = new LongAdder();
    private final LongAdder valid = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final AtomicLong lastMicros = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> times = new ConcurrentLinkedQueue<>();
    private volatile boolean recordTimes;
    private volatile byte[] key;

    BenchReceiver(long delayMs, String signatureKey) throws IOException {
        this.delayMs = delayMs;
        this.key = signatureKey == null ? null : signatureKey.getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2048);
        pool = Executors.newFixedThreadPool(8, r -> daemon(r, "bench-receiver-"));
        delayer = delayMs > 0 ? Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "bench-receiver-delay-")) : null;
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    private static Thread daemon(Runnable r, String prefix) {
        Thread t = new Thread(r, prefix + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    int port() {
        return server.getAddress().getPort();
    }

    void recordTimes(boolean on) {
        recordTimes = on;
    }

    void reset() {
        count.reset();
        valid.reset();
        invalid.reset();
        times.clear();
        lastMicros.set(0);
        maxInFlight.set(inFlight.get());
    }

    long count() {
        return count.sum();
    }

    /** "count valid invalid lastMicros maxInFlight". */
    String stats() {
        return count.sum() + " " + valid.sum() + " " + invalid.sum() + " " + lastMicros.get() + " " + maxInFlight.get();
    }

    /** "webhookId arrivalMicros" of every POST since the last reset (only while recording). */
    List<String> times() {
        return new ArrayList<>(times);
    }

    private void handle(HttpExchange exchange) throws IOException {
        long at = nowMicros();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (verify(body, exchange.getRequestHeaders().getFirst("Elements-Webhook-Signature"))) {
            valid.increment();
        } else {
            invalid.increment();
        }
        if (recordTimes) {
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (id == null) {
                id = exchange.getRequestHeaders().getFirst("Elements-Webhook-Id");
            }
            times.add(id + " " + at);
        }
        lastMicros.accumulateAndGet(at, Math::max);
        count.increment();
        if (delayer == null) {
            answer(exchange);
        } else {
            delayer.schedule(() -> answer(exchange), delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void answer(HttpExchange exchange) {
        try (exchange) {
            exchange.sendResponseHeaders(200, -1);
        } catch (IOException e) {
            // the bridge gave up (timeout): nothing to answer
        } finally {
            inFlight.decrementAndGet();
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
        if (delayer != null) {
            delayer.shutdownNow();
        }
    }
}
