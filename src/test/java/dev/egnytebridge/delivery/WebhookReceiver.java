package dev.egnytebridge.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A callback endpoint on loopback that records every request it receives and answers as the test tells it:
 * status, headers and, optionally, a wait before answering. Received and answered moments go to a shared timeline,
 * so tests can assert the order of events across endpoints without timing thresholds.
 */
final class WebhookReceiver implements AutoCloseable {

    record Request(String method, String pathAndQuery, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    record Reply(int status, Map<String, String> headers, CountDownLatch waitFor, long maxWaitMs) {
        static Reply status(int status) {
            return new Reply(status, Map.of(), null, 0);
        }

        static Reply status(int status, Map<String, String> headers) {
            return new Reply(status, headers, null, 0);
        }

        /** Answers {@code status} once {@code latch} opens, or after {@code maxWaitMs} at most. */
        static Reply after(CountDownLatch latch, long maxWaitMs, int status) {
            return new Reply(status, Map.of(), latch, maxWaitMs);
        }
    }

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> timeline;
    private volatile IntFunction<Reply> replies = n -> Reply.status(200);

    WebhookReceiver(String name, List<String> timeline) {
        this.name = name;
        this.timeline = timeline;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    WebhookReceiver(String name) {
        this(name, new CopyOnWriteArrayList<>());
    }

    /** How to answer the n-th request (0 for the first). */
    WebhookReceiver replying(IntFunction<Reply> replies) {
        this.replies = replies;
        return this;
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            int index;
            synchronized (requests) {
                index = requests.size();
                requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                        headers, new String(body, StandardCharsets.UTF_8)));
            }
            timeline.add(name + ":received");
            Reply reply = replies.apply(index);
            if (reply.waitFor() != null) {
                try {
                    reply.waitFor().await(reply.maxWaitMs(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            timeline.add(name + ":answered");
            exchange.sendResponseHeaders(reply.status(), -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
