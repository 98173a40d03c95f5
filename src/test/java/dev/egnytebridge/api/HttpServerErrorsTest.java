package dev.egnytebridge.api;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.instance.CapturedLog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the HTTP server answers before or instead of a REST route, over real HTTP: JSON {@code {"message"}} with the
 * right status and headers, like every route's answer.
 */
class HttpServerErrorsTest extends BridgeTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anUnknownPathIsAJson404() {
        for (String method : new String[] {"GET", "POST", "DELETE"}) {
            HttpResponse<String> answer = send(request("/no/such/path").method(method, HttpRequest.BodyPublishers.noBody()));

            assertThat(answer.statusCode()).as(method).isEqualTo(404);
            assertIsJsonError(answer);
        }
    }

    @Test
    void aWrongMethodIsA405ThatNamesTheAllowedMethods() {
        HttpResponse<String> onTheList = sendJson("PUT", "/instances", ALICE, "{}");
        assertThat(onTheList.statusCode()).isEqualTo(405);
        assertThat(onTheList.headers().firstValue("Allow")).hasValue("GET, HEAD, POST");
        assertThat(message(onTheList)).contains("PUT", "GET, HEAD, POST");
        assertIsJsonError(onTheList);

        HttpResponse<String> onAnInstance = sendJson("POST", "/instances/1", ALICE, "{}");
        assertThat(onAnInstance.statusCode()).isEqualTo(405);
        assertThat(onAnInstance.headers().firstValue("Allow")).hasValue("DELETE, GET, HEAD, PATCH, PUT");

        HttpResponse<String> onThePage = sendJson("DELETE", "/", null, "{}");
        assertThat(onThePage.statusCode()).isEqualTo(405);
        assertThat(onThePage.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void headOnAGetPathIsAnsweredWithoutABody() {
        HttpResponse<String> page = send(request("/").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Length")).hasValue(String.valueOf(get("/", null).body().length()));
        assertThat(page.body()).isEmpty();

        HttpResponse<String> list = send(request("/instances").header("Authorization", ALICE)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(list.body()).isEmpty();

        // HEAD is GET without the body for the answers that are not a 200 too
        HttpResponse<String> unauthenticated = send(request("/instances").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(unauthenticated.body()).isEmpty();
        assertThat(send(request("/no/such/path").method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode())
                .isEqualTo(404);
    }

    @Test
    void anOversizedBodyIsAJson413AndNoErrorLog() {
        String overLimit = "{\"name\": \"" + "x".repeat(1024 * 1024) + "\"}";
        try (CapturedLog log = new CapturedLog()) {
            HttpResponse<String> answer = sendJson("POST", "/instances", ALICE, overLimit);

            assertThat(answer.statusCode()).isEqualTo(413);
            assertIsJsonError(answer);
            assertThat(message(answer)).contains("1048576");
            assertThat(log.errors()).isEmpty();
        }
        // and the server goes on answering
        assertThat(get("/instances", ALICE).statusCode()).isEqualTo(200);
    }

    @Test
    void oversizedHeadersAreAJson431() {
        HttpResponse<String> answer = send(request("/instances").header("Authorization", ALICE)
                .header("X-Padding", "p".repeat(16 * 1024)).GET());

        assertThat(answer.statusCode()).isEqualTo(431);
        assertIsJsonError(answer);
        assertThat(answer.body()).doesNotContain(ALICE_SECRET, ORG_SECRET);
    }

    @Test
    void onlyTheDocumentedUiFilesAreServed() {
        for (String path : new String[] {"/", "/ui/app.js", "/ui/dom.js", "/ui/api.js", "/ui/view.js",
                "/ui/forms.js", "/ui/status.js", "/ui/signin.js", "/ui/list.js", "/ui/create.js", "/ui/instance.js",
                "/ui/chart.js", "/ui/edit.js", "/ui/app.css", "/ui/favicon.svg", "/ui/screenshot.png"}) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(200);
        }
        for (String path : new String[] {"/ui/index.html", "/index.html", "/ui/", "/ui"}) {
            HttpResponse<String> answer = get(path, null);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertIsJsonError(answer);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + path));
    }

    private static void assertIsJsonError(HttpResponse<String> answer) {
        assertThat(answer.headers().firstValue("Content-Type")).as(answer.uri().toString()).hasValue("application/json");
        assertThat(message(answer)).as(answer.uri().toString()).isNotBlank();
    }

    private static String message(HttpResponse<String> answer) {
        try {
            JsonNode body = JSON.readTree(answer.body());
            return body.get("message").asText();
        } catch (Exception e) {
            throw new AssertionError("Not a JSON error: " + answer.statusCode() + " " + answer.body(), e);
        }
    }
}
