package dev.egnytebridge.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

import dev.egnytebridge.BridgeTestSupport;
import org.junit.jupiter.api.Test;

/** The web UI's files over real HTTP: served beside the REST API, with their types, and nothing else. */
class WebUiRoutesTest extends BridgeTestSupport {

    @Test
    void servesThePageAtTheRootWithoutCredentials() {
        HttpResponse<String> page = get("/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void servesScriptStyleAndImagesWithTheirContentTypes() throws Exception {
        assertThat(get("/ui/app.js", null).headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("/ui/app.css", null).headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/ui/favicon.svg", null).headers().firstValue("Content-Type")).hasValue("image/svg+xml");

        HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/ui/screenshot.png")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        try (InputStream original = getClass().getClassLoader().getResourceAsStream("web/screenshot.png")) {
            assertThat(png.body()).as("served byte for byte").isEqualTo(original.readAllBytes());
        }
    }

    @Test
    void servesEachScriptModuleAsJavaScriptAndNoOtherScript() throws Exception {
        // every module the page is made of, so a new one cannot be left out of the served list unnoticed
        java.util.List<String> modules;
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.list(java.nio.file.Path.of("src/main/resources/web"))) {
            modules = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".js")).sorted().toList();
        }
        assertThat(modules).containsExactlyInAnyOrderElementsOf(UiAssets.MODULES);
        for (String module : modules) {
            HttpResponse<String> answer = get("/ui/" + module, null);
            assertThat(answer.statusCode()).as(module).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).as(module).hasValue("text/javascript; charset=utf-8");
            assertThat(answer.headers().firstValue("Content-Security-Policy")).as(module).isPresent();
        }
        assertThat(get("/ui/x.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void answersNotFoundForAnyOtherName() throws Exception {
        // files next to the service that Camel's own static content handler would have served
        Files.writeString(dataDir.resolve("generated-secrets.properties"), "secret=1");
        for (String path : new String[] {"/ui/application.properties", "/ui/..%2Fapplication.properties",
                "/ui/index.htm", "/ui/logback.xml", "/application.properties", "/data/generated-secrets.properties",
                "/ui/..%2F..%2Fpom.xml"}) {
            HttpResponse<String> answer = get(path, null);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.body()).as(path).doesNotContain("camel.main", "secret=");
        }
    }

    @Test
    void leavesTheRestApiAsItWas() {
        assertThat(get("/instances", null).statusCode()).isEqualTo(401);
        HttpResponse<String> list = get("/instances", ALICE);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).hasValue("application/json");
    }
}
