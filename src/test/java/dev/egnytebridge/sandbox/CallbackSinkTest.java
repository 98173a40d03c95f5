package dev.egnytebridge.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackSinkTest {

    private static final String BODY = "{\"message\":{\"eventId\":\"e-1\",\"events\":[{\"objectId\":\"1\"}]}}";

    private final HttpClient http = HttpClient.newHttpClient();
    private CallbackSink sink;

    @BeforeEach
    void start() {
        sink = new CallbackSink().start();
    }

    @AfterEach
    void stop() {
        sink.close();
    }

    private int post(String path, String body, String signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sink.url(path)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            b.header("Elements-Webhook-Signature", signature);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String sign(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void recordsEveryPostPerPathAndAnswers200() throws Exception {
        assertThat(post("/a", BODY, null)).isEqualTo(200);
        assertThat(post("/b", "{}", null)).isEqualTo(200);
        assertThat(post("/a", "{\"n\":2}", null)).isEqualTo(200);

        assertThat(sink.received("/a")).extracting(CallbackSink.Received::body).containsExactly(BODY, "{\"n\":2}");
        assertThat(sink.received("/a").get(0).header("content-type")).isEqualTo("application/json");
        assertThat(sink.received("/a").get(0).receivedAt()).isNotNull();
        assertThat(sink.allReceived()).hasSize(3);
        assertThat(sink.url("/a")).isEqualTo(sink.baseUrl() + "/a").startsWith("http://127.0.0.1:");
    }

    @Test
    void answersTheStatusItWasToldPerPath() throws Exception {
        sink.respondWith("/gone", 410).respondWith("/broken", 500);

        assertThat(post("/gone", BODY, null)).isEqualTo(410);
        assertThat(post("/broken", BODY, null)).isEqualTo(500);
        assertThat(post("/fine", BODY, null)).isEqualTo(200);
        assertThat(sink.received("/gone").get(0).status()).isEqualTo(410);

        sink.reset("/gone");
        assertThat(post("/gone", BODY, null)).isEqualTo(200);
    }

    @Test
    void failsOnlyTheNextNRequests() throws Exception {
        sink.failNext("/flaky", 2, 503);

        assertThat(post("/flaky", BODY, null)).isEqualTo(503);
        assertThat(post("/flaky", BODY, null)).isEqualTo(503);
        assertThat(post("/flaky", BODY, null)).isEqualTo(200);
        assertThat(sink.received("/flaky")).extracting(CallbackSink.Received::status).containsExactly(503, 503, 200);
    }

    @Test
    void delaysAnswersOnAPath() throws Exception {
        sink.delay("/slow", 200);

        long start = System.nanoTime();
        assertThat(post("/slow", BODY, null)).isEqualTo(200);

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(200);
    }

    @Test
    void verifiesTheSignatureWithItsOwnHmac() throws Exception {
        sink.expectSignatureKey("k3y");

        post("/s", BODY, sign("k3y", BODY));
        post("/s", BODY, sign("other", BODY));
        post("/s", BODY, null);

        assertThat(sink.received("/s")).extracting(CallbackSink.Received::signature).containsExactly(
                CallbackSink.SignatureStatus.VALID, CallbackSink.SignatureStatus.INVALID,
                CallbackSink.SignatureStatus.MISSING);
        assertThat("sha256=" + CallbackSink.hmacSha256Base64("k3y", BODY)).isEqualTo(sign("k3y", BODY));
    }

    @Test
    void doesNotCheckSignaturesWithoutAKey() throws Exception {
        post("/s", BODY, "sha256=whatever");

        assertThat(sink.received("/s").get(0).signature()).isEqualTo(CallbackSink.SignatureStatus.NOT_CHECKED);
    }

    @Test
    void refusesMethodsOtherThanPost() throws Exception {
        int status = http.send(HttpRequest.newBuilder(URI.create(sink.url("/a"))).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();

        assertThat(status).isEqualTo(405);
        assertThat(sink.allReceived()).isEmpty();
    }
}
