package dev.egnytebridge.delivery;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import dev.egnytebridge.security.CallbackAddressPolicy;
import dev.egnytebridge.api.QuietVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Body;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Route step {@code post-to-callback-url}: POSTs one signed request without holding a thread while it waits
 * (Vert.x HTTP client on an event loop of its own, so deliveries never compete with the REST API's). The route goes
 * on when the returned stage completes, with the {@link AttemptOutcome} as its body; the stage always completes
 * normally, whatever happened.
 * <p>
 * One deadline covers the whole attempt (connect, TLS, request, response and its body): a receiver that never
 * answers, trickles a never-ending body or stalls the TLS handshake frees its slot when it runs out. Redirects are not
 * followed (a 3xx is a failed attempt). At most {@link #MAX_RESPONSE_BODY} bytes of an answer are read, then the
 * connection is dropped. The host is resolved and checked by the {@link CallbackAddressPolicy}, and the request
 * connects to that very address.
 */
public class CallbackSender extends ServiceSupport {

    /** Bytes of a response body read at most (receivers are expected to answer with next to nothing). */
    static final int MAX_RESPONSE_BODY = 64 * 1024;

    private final CallbackAddressPolicy addresses;
    private final long timeoutMs;
    private final int perEndpoint;
    private Vertx vertx;
    private HttpClient client;

    public CallbackSender(CallbackAddressPolicy addresses, long timeoutMs, int perEndpoint) {
        this.addresses = addresses;
        this.timeoutMs = timeoutMs;
        this.perEndpoint = perEndpoint;
    }

    @Override
    protected void doStart() {
        vertx = Vertx.vertx(QuietVertx.options()
                .setEventLoopPoolSize(Math.min(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
                .setSslHandshakeTimeout(timeoutMs)
                .setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
                .setKeepAlive(true)
                .setForceSni(true)
                .setDecompressionSupported(false)
                .setName("callbacks");
        // one pool per server address: its size is the per-endpoint cap, the dispatcher never asks for more
        client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(perEndpoint).setMaxWaitQueueSize(-1)
                .setCleanerPeriod(QuietVertx.POOL_CLEANER_PERIOD_MS));
    }

    @Override
    protected void doStop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
            vertx = null;
            client = null;
        }
    }

    public CompletionStage<AttemptOutcome> send(@Body WebhookRequest.Outgoing outgoing) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        CompletableFuture<AttemptOutcome> outcome = new CompletableFuture<>();
        RequestOptions options;
        try {
            options = requestOptions(outgoing);
        } catch (Exception e) {
            outcome.complete(AttemptOutcome.error(started, AttemptRecorder.describe(e, outgoing.url()), elapsed(startNanos)));
            return outcome;
        }
        AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        long deadline = vertx.setTimer(timeoutMs, id -> {
            if (outcome.complete(AttemptOutcome.error(started, "Timeout: no complete answer within " + timeoutMs + " ms", elapsed(startNanos)))) {
                HttpClientRequest r = request.get();
                if (r != null) {
                    r.reset();
                }
            }
        });
        outcome.whenComplete((o, e) -> vertx.cancelTimer(deadline));
        client.request(options)
                .onSuccess(r -> {
                    // on the connection's event loop: the answer's handlers are in place before any of it arrives
                    request.set(r);
                    if (outcome.isDone()) {
                        r.reset();
                        return;
                    }
                    r.response()
                            .onSuccess(response -> readAnswer(response, started, startNanos, outcome))
                            .onFailure(e -> outcome.complete(AttemptOutcome.error(started,
                                    AttemptRecorder.describe(e, outgoing.url()), elapsed(startNanos))));
                    r.end(Buffer.buffer(outgoing.body()));
                })
                .onFailure(e -> outcome.complete(AttemptOutcome.error(started,
                        AttemptRecorder.describe(e, outgoing.url()), elapsed(startNanos))));
        return outcome;
    }

    /** Waits for the end of the answer (reading at most MAX_RESPONSE_BODY bytes), so the connection can be reused. */
    private void readAnswer(HttpClientResponse response, Instant started, long startNanos,
                            CompletableFuture<AttemptOutcome> outcome) {
        int status = response.statusCode();
        Duration retryAfter = AttemptRecorder.retryAfter(response.getHeader("Retry-After"), Instant.now());
        long[] read = {0};
        AttemptOutcome answered = AttemptOutcome.response(started, status, elapsed(startNanos), retryAfter);
        try {
            response.endHandler(v -> outcome.complete(answered));
        } catch (IllegalStateException alreadyEnded) {
            outcome.complete(answered);
            return;
        }
        response.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > MAX_RESPONSE_BODY) {
                // what the receiver says past this is never used: drop the connection rather than read 10 MB
                outcome.complete(answered);
                response.request().reset();
            }
        });
        response.exceptionHandler(e -> outcome.complete(answered));
    }

    private RequestOptions requestOptions(WebhookRequest.Outgoing outgoing) throws Exception {
        URI uri = new URI(outgoing.url());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("Callback URL must be an absolute http or https URL");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        InetAddress address = addresses.addressToConnect(outgoing.url());
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(host)
                .setPort(port)
                .setSsl(tls)
                .setURI(path)
                .setFollowRedirects(false)
                .setConnectTimeout(timeoutMs);
        outgoing.headers().forEach(options::putHeader);
        return options;
    }

    private static long elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
