package dev.egnytebridge.egnyte;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Route call-egnyte (routes/call-egnyte.yaml) against an Egnyte on loopback: what it sends, and what it answers. */
class CallEgnyteRouteTest {

    /** What the fake Egnyte received: method, path?query and the Authorization and Accept headers. */
    private record Received(String method, String uri, String authorization, String accept, long atNanos) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private CallEgnyteRoute route;

    /** An Egnyte whose first {@code overQps} calls are refused as over the per-second limit, then answer 200. */
    private String egnyte(int overQps) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/pubapi/", exchange -> {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Accept"),
                    System.nanoTime()));
            byte[] body;
            if (calls.incrementAndGet() <= overQps) {
                exchange.getResponseHeaders().set(EgnyteResponses.MASHERY_ERROR_HEADER, EgnyteResponses.OVER_QPS_CODE);
                exchange.getResponseHeaders().set("Retry-After", "1");
                body = "<h1>Developer Over Qps</h1>".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(403, body.length);
            } else {
                body = "{\"latest_event_id\":42}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
            }
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (route != null) {
            route.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private Exchange call(EgnyteRequest request) {
        return route.context.createProducerTemplate().send("direct:call-egnyte", e -> e.getMessage().setBody(request));
    }

    @Test
    void sendsTheRequestWithItsTokenAndAnswersWhatEgnyteSaidWithoutTheToken() throws Exception {
        route = new CallEgnyteRoute("egnyte.base-url", egnyte(0));

        Exchange done = call(EgnyteRequest.get("acme", "tok-secret-1", "/pubapi/v1/events/cursor", "id=5&count=2"));

        assertThat(done.getException()).isNull();
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.uri()).isEqualTo("/pubapi/v1/events/cursor?id=5&count=2");
            assertThat(r.authorization()).isEqualTo("Bearer tok-secret-1");
            assertThat(r.accept()).isEqualTo("application/json");
        });
        EgnyteAnswer answer = done.getMessage().getBody(EgnyteAnswer.class);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("latest_event_id").asLong()).isEqualTo(42);
        assertThat(done.getMessage().getHeaders()).as("no header, the token least of all, outlives the call").isEmpty();
        assertThat(done.getProperty(EgnyteCall.PROPERTY)).isNull();
    }

    @Test
    void aRequestWhoseInstanceIsDeletedWhileItWaitsIsNotSent() throws Exception {
        route = new CallEgnyteRoute("egnyte.base-url", egnyte(0));
        // refused as over the per-second limit: the request would wait Retry-After (1 s) and go again
        server.createContext("/pubapi/v1/deleted", exchange -> {
            route.deleted.add(7L); // the DELETE of instance 7 is answered while its request waits
            exchange.getResponseHeaders().set(EgnyteResponses.MASHERY_ERROR_HEADER, EgnyteResponses.OVER_QPS_CODE);
            exchange.getResponseHeaders().set("Retry-After", "1");
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
            received.add(new Received("GET", exchange.getRequestURI().toString(), null, null, System.nanoTime()));
        });

        Exchange done = call(EgnyteRequest.get("acme", "tok-7", "/pubapi/v1/deleted", null).forInstance(7));

        assertThat(done.getException()).isInstanceOf(EgnyteHttp.InstanceDeleted.class);
        assertThat(received).as("only the request sent before the DELETE").hasSize(1);
    }

    @Test
    void overThePerSecondLimitTheSameRequestGoesAgainAfterRetryAfter() throws Exception {
        route = new CallEgnyteRoute("egnyte.base-url", egnyte(2));

        Exchange done = call(EgnyteRequest.get("acme", "tok-2", "/pubapi/v1/events", "id=7&count=100"));

        assertThat(done.getMessage().getBody(EgnyteAnswer.class).status()).isEqualTo(200);
        assertThat(received).hasSize(3).extracting(Received::uri).containsOnly("/pubapi/v1/events?id=7&count=100");
        for (int i = 1; i < received.size(); i++) {
            assertThat(Duration.ofNanos(received.get(i).atNanos() - received.get(i - 1).atNanos()))
                    .as("Retry-After: 1").isGreaterThan(Duration.ofMillis(900));
        }
    }

    @Test
    void aLimitThatDoesNotClearIsAnsweredAsTheOverQpsFaultAfterAFewTries() throws Exception {
        route = new CallEgnyteRoute("egnyte.base-url", egnyte(Integer.MAX_VALUE));

        Exchange done = call(EgnyteRequest.get("acme", "tok-3", "/pubapi/v1/events", "id=1"));

        assertThat(received).hasSize(1 + EgnyteCall.MAX_QPS_RETRIES);
        EgnyteAnswer answer = done.getMessage().getBody(EgnyteAnswer.class);
        assertThat(answer.overQps()).isTrue();
        assertThatThrownBy(answer::json).isInstanceOfSatisfying(EgnyteFault.class,
                fault -> assertThat(fault.kind()).isEqualTo(EgnyteFault.Kind.OVER_QPS));
    }
}
