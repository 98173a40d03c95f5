package dev.egnytebridge.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Small HTTP plumbing shared by the simulator and the sink (loopback server, request capture, form parsing). */
final class SandboxHttp {

    private SandboxHttp() {
    }

    /** A server bound to 127.0.0.1 on the given port (0 = any free port), not yet started. */
    static HttpServer loopbackServer(int port) {
        try {
            return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind a loopback HTTP server on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** A bounded pool of daemon threads, so a forgotten server never keeps the JVM alive. */
    static ExecutorService daemonPool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return Executors.newFixedThreadPool(threads, factory);
    }

    static RecordedRequest capture(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        String query = exchange.getRequestURI().getRawQuery();
        return new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                query == null ? "" : query, Map.copyOf(headers), new String(body, StandardCharsets.UTF_8), Instant.now());
    }

    /** Decodes an application/x-www-form-urlencoded string (also a raw query); the first value of a name wins. */
    static Map<String, String> parseForm(String form) {
        Map<String, String> values = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return values;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.putIfAbsent(name, value);
        }
        return values;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        if (body == null || status == 204 || status == 304 || "HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Adds to a bounded log, dropping the oldest entries past the limit (the sandbox may run for days). */
    static <T> void appendBounded(List<T> log, T item, int limit) {
        synchronized (log) {
            log.add(item);
            if (log.size() > limit) {
                log.subList(0, log.size() - limit).clear();
            }
        }
    }

    static <T> List<T> snapshot(List<T> log) {
        synchronized (log) {
            return List.copyOf(new ArrayList<>(log));
        }
    }

    /** Sleeps on a server thread to simulate a slow peer; returns early if the server is shutting down. */
    static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
