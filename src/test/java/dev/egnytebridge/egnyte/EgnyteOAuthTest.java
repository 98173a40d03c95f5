package dev.egnytebridge.egnyte;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.egnytebridge.TestSettings;
import dev.egnytebridge.api.ApiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EgnyteOAuthTest {

    private static final EgnyteOAuthGrant GRANT =
            new EgnyteOAuthGrant("acme", "client-1", "client-secret-9f", "https://app.example.com/cb", "the-code-42");

    private HttpServer server;

    private static EgnyteOAuth oauth(String baseUrl) {
        return new EgnyteOAuth(TestSettings.of("egnyte.base-url", baseUrl,
                "egnyte.oauth.scope", "Egnyte.filesystem Egnyte.user", "egnyte.http.timeout-ms", "5000"), new ObjectMapper());
    }

    /** An Egnyte token endpoint answering every request with {@code status} and {@code body}. */
    private String egnyteAnswering(int status, String body) throws IOException {
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
    }

    @Test
    void authorizeUrlFillsTheSubdomainAndEncodesEveryValue() {
        String url = oauth("https://{subdomain}.egnyte.com").authorizeUrl("Acme", "client 1&x", "https://app.example.com/cb?a=1&b=2", "st ate");
        assertThat(url).isEqualTo("https://acme.egnyte.com/puboauth/token?client_id=client+1%26x"
                + "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fa%3D1%26b%3D2&scope=Egnyte.filesystem+Egnyte.user"
                + "&state=st+ate&response_type=code");
    }

    @Test
    void authorizeUrlLeavesOutAnEmptyState() {
        assertThat(oauth("https://{subdomain}.egnyte.com").authorizeUrl("acme", "c", "https://a.example.com", null))
                .doesNotContain("state=");
    }

    @Test
    void rejectsSubdomainsThatAreNotOneDnsLabel() {
        EgnyteOAuth oauth = oauth("https://{subdomain}.egnyte.com");
        for (String bad : new String[] {"", "a.b", "evil.com/x", "-acme", "acme-", "a".repeat(64), "ac me", "acme@evil"}) {
            assertThatThrownBy(() -> oauth.authorizeUrl(bad, "c", "https://a.example.com", null)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("subdomain"));
        }
    }

    @Test
    void rejectsACallbackThatIsNotHttp() {
        assertThatThrownBy(() -> oauth("https://{subdomain}.egnyte.com").authorizeUrl("acme", "c", "javascript:alert(1)", null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("callbackUrl"));
    }

    @Test
    void returnsTheAccessTokenEgnyteGrants() throws IOException {
        String base = egnyteAnswering(200, "{\"access_token\":\"tok-123\",\"token_type\":\"bearer\",\"expires_in\":-1}");
        assertThat(oauth(base).requestAccessToken(GRANT)).isEqualTo("tok-123");
    }

    @Test
    void refusalIsA400WithEgnytesReasonScrubbedOfTheCodeAndSecret() throws IOException {
        String base = egnyteAnswering(400, "{\"error\":\"invalid_grant\",\"error_description\":\"code the-code-42 for client-secret-9f expired\"}");
        assertThatThrownBy(() -> oauth(base).requestAccessToken(GRANT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("providerData.code");
                    assertThat(e.getMessage()).contains("expired").doesNotContain("the-code-42", "client-secret-9f");
                });
    }

    @Test
    void htmlRefusalIsShownAsText() throws IOException {
        String base = egnyteAnswering(403, "<h1>Developer Inactive</h1>");
        assertThatThrownBy(() -> oauth(base).requestAccessToken(GRANT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).endsWith(": Developer Inactive"));
    }

    @Test
    void serverErrorIsA502() throws IOException {
        String base = egnyteAnswering(500, "oops");
        assertThatThrownBy(() -> oauth(base).requestAccessToken(GRANT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(502));
    }

    @Test
    void rateLimitIsA502SayingWhenToRetry() throws IOException {
        String base = egnyteAnswering(409, "");
        assertThatThrownBy(() -> oauth(base).requestAccessToken(GRANT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("retry after 120 seconds");
                });
    }

    @Test
    void successWithoutATokenIsA502() throws IOException {
        String base = egnyteAnswering(200, "{\"token_type\":\"bearer\"}");
        assertThatThrownBy(() -> oauth(base).requestAccessToken(GRANT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(502));
    }

    @Test
    void unreachableEgnyteIsA502() throws IOException {
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
}
