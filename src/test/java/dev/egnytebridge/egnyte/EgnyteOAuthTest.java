package dev.egnytebridge.egnyte;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import dev.egnytebridge.TestSettings;
import dev.egnytebridge.api.ApiException;
import dev.egnytebridge.instance.CapturedLog;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EgnyteOAuthTest {

    private static final EgnyteOAuthGrant GRANT =
            new EgnyteOAuthGrant("acme", "client-1", "client-secret-9f", "https://app.example.com/cb", "the-code-42");

    private HttpServer server;
    private CallEgnyteRoute route;

    /** The client as the bridge binds it: its token exchange goes through route call-egnyte. */
    private EgnyteOAuth oauth(String baseUrl) throws Exception {
        if (route != null) {
            route.close();
        }
        route = new CallEgnyteRoute("egnyte.base-url", baseUrl,
                "egnyte.oauth.scope", "Egnyte.filesystem Egnyte.user", "egnyte.http.timeout-ms", "5000");
        return route.oauth();
    }

    /** An Egnyte token endpoint answering every request with {@code status} and {@code body}. */
    private String egnyteAnswering(int status, String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/puboauth/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Retry-After", "120");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (route != null) {
            route.close();
        }
    }

    @Test
    void authorizeUrlFillsTheSubdomainAndEncodesEveryValue() throws Exception {
        String url = oauth("https://{subdomain}.egnyte.com").authorizeUrl("Acme", "client 1&x", "https://app.example.com/cb?a=1&b=2", "st ate");
        assertThat(url).isEqualTo("https://acme.egnyte.com/puboauth/token?client_id=client+1%26x"
                + "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fa%3D1%26b%3D2&scope=Egnyte.filesystem+Egnyte.user"
                + "&state=st+ate&response_type=code");
    }

    @Test
    void anInstanceThatWillUseWebhooksAsksForTheWebhooksScopeToo() throws Exception {
        EgnyteOAuth oauth = oauth("https://{subdomain}.egnyte.com");

        assertThat(oauth.oauthUrl("egnyte", "acme", "c", "https://a.example.com", null, "webhooks").get("oauthUrl"))
                .contains("&scope=Egnyte.filesystem+Egnyte.user+Egnyte.webhooks&");
        assertThat(oauth.oauthUrl("egnyte", "acme", "c", "https://a.example.com", null, "polling").get("oauthUrl"))
                .contains("&scope=Egnyte.filesystem+Egnyte.user&");
        assertThatThrownBy(() -> oauth.oauthUrl("egnyte", "acme", "c", "https://a.example.com", null, "push"))
                .isInstanceOf(ApiException.class).hasMessageContaining("polling or webhooks");
    }

    @Test
    void authorizeUrlLeavesOutAnEmptyState() throws Exception {
        assertThat(oauth("https://{subdomain}.egnyte.com").authorizeUrl("acme", "c", "https://a.example.com", null))
                .doesNotContain("state=");
    }

    @Test
    void rejectsSubdomainsThatAreNotOneDnsLabel() throws Exception {
        EgnyteOAuth oauth = oauth("https://{subdomain}.egnyte.com");
        for (String bad : new String[] {"", "a.b", "evil.com/x", "-acme", "acme-", "a".repeat(64), "ac me", "acme@evil"}) {
            assertThatThrownBy(() -> oauth.authorizeUrl(bad, "c", "https://a.example.com", null)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("subdomain"));
        }
    }

    @Test
    void rejectsACallbackThatIsNotHttp() throws Exception {
        assertThatThrownBy(() -> oauth("https://{subdomain}.egnyte.com").authorizeUrl("acme", "c", "javascript:alert(1)", null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("callbackUrl"));
    }

    @Test
    void returnsTheAccessTokenEgnyteGrants() throws Exception {
        String base = egnyteAnswering(200, "{\"access_token\":\"tok-123\",\"token_type\":\"bearer\",\"expires_in\":-1}");
        assertThat(oauth(base).requestAccessToken(GRANT)).isEqualTo("tok-123");
    }

    @Test
    void refusalIsA400WithEgnytesReasonScrubbedOfTheCodeAndSecret() throws Exception {
        String base = egnyteAnswering(400, "{\"error\":\"invalid_grant\",\"error_description\":\"code the-code-42 for client-secret-9f expired\"}");
        assertThatThrownBy(() -> oauth(base).requestAccessToken(GRANT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("providerData.code");
                    assertThat(e.getMessage()).contains("expired").doesNotContain("the-code-42", "client-secret-9f");
                });
    }

    @Test
    void htmlRefusalIsShownAsText() throws Exception {
        String base = egnyteAnswering(403, "<h1>Developer Inactive</h1>");
        assertThatThrownBy(() -> oauth(base).requestAccessToken(GRANT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).endsWith(": Developer Inactive"));
    }

    @Test
    void serverErrorIsA502() throws Exception {
        String base = egnyteAnswering(500, "oops");
        assertThatThrownBy(() -> oauth(base).requestAccessToken(GRANT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(502));
    }

    @Test
    void rateLimitIsA502SayingWhenToRetry() throws Exception {
        String base = egnyteAnswering(409, "");
        assertThatThrownBy(() -> oauth(base).requestAccessToken(GRANT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("retry after 120 seconds");
                });
    }

    @Test
    void successWithoutATokenIsA502() throws Exception {
        String base = egnyteAnswering(200, "{\"token_type\":\"bearer\"}");
        assertThatThrownBy(() -> oauth(base).requestAccessToken(GRANT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(502));
    }

    @Test
    void unreachableEgnyteIsA502() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> oauth("http://127.0.0.1:" + closedPort).requestAccessToken(GRANT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("could not be reached");
                });
    }

    // ------------------------------------------------ the code exchange through route call-egnyte

    @Test
    void postsTheCodeAsAFormThroughRouteCallEgnyte() throws Exception {
        AtomicReference<String> contentType = new AtomicReference<>();
        AtomicReference<String> form = new AtomicReference<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/puboauth/token", exchange -> {
            contentType.set(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            form.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = "{\"access_token\":\"tok-456\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        EgnyteOAuth oauth = oauth("http://127.0.0.1:" + server.getAddress().getPort());
        NotifyBuilder called = new NotifyBuilder(route.context).fromRoute("call-egnyte").whenCompleted(1).create();

        assertThat(oauth.requestAccessToken(GRANT)).isEqualTo("tok-456");

        assertThat(called.matches(5, TimeUnit.SECONDS)).as("the exchange went through route call-egnyte").isTrue();
        assertThat(contentType.get()).isEqualTo("POST application/x-www-form-urlencoded");
        assertThat(form.get()).isEqualTo("grant_type=authorization_code&code=the-code-42&client_id=client-1"
                + "&client_secret=client-secret-9f&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb");
    }

    @Test
    void anEgnyteThatDoesNotAnswerIsA502AfterEgnytesTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/puboauth/token", exchange -> {
            try {
                release.await(30, TimeUnit.SECONDS); // holds the request open: Egnyte never answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        if (route != null) {
            route.close();
        }
        route = new CallEgnyteRoute("egnyte.base-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "egnyte.http.timeout-ms", "500");
        EgnyteOAuth oauth = route.oauth();
        long started = System.nanoTime();
        try {
            assertThatThrownBy(() -> oauth.requestAccessToken(GRANT))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(502);
                        assertThat(e.getMessage()).contains("could not be reached");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("egnyte.http.timeout-ms, not the JDK's default")
                    .isLessThan(Duration.ofSeconds(10));
        } finally {
            release.countDown();
        }
    }

    @Test
    void neitherTheTokenNorTheCodeNorTheSecretIsLoggedWhateverEgnyteAnswers() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            String granting = egnyteAnswering(200, "{\"access_token\":\"tok-secret-777\"}");
            assertThat(oauth(granting).requestAccessToken(GRANT)).isEqualTo("tok-secret-777");
            server.stop(0);
            String refusing = egnyteAnswering(400, "{\"error\":\"invalid_grant\",\"error_description\":\"the-code-42 client-secret-9f\"}");
            assertThatThrownBy(() -> oauth(refusing).requestAccessToken(GRANT)).isInstanceOf(ApiException.class);
            server.stop(0);
            server = null;
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closedPort = socket.getLocalPort();
            }
            assertThatThrownBy(() -> oauth("http://127.0.0.1:" + closedPort).requestAccessToken(GRANT))
                    .isInstanceOf(ApiException.class);

            assertThat(log.text()).doesNotContain("tok-secret-777", "the-code-42", "client-secret-9f");
        }
    }
}
