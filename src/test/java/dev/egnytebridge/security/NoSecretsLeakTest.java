package dev.egnytebridge.security;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import dev.egnytebridge.instance.InstanceApiTestSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every endpoint, successes and failures, with the bridge's own loggers at DEBUG, then looks for every secret in
 * the log and in every response (body and headers).
 */
class NoSecretsLeakTest extends InstanceApiTestSupport {

    private final List<HttpResponse<String>> responses = new ArrayList<>();

    NoSecretsLeakTest() {
        ((Logger) LoggerFactory.getLogger("dev.egnytebridge")).setLevel(Level.DEBUG);
    }

    private HttpResponse<String> keep(HttpResponse<String> response) {
        responses.add(response);
        return response;
    }

    @Test
    void noSecretReachesALogLineAResponseOrAnErrorMessage() throws Exception {
        String rotatedSecret = "rotated-api-secret-91ab";
        String rotatedKey = "rotated-signature-key-77cd";
        keep(get("/elements/egnyte/oauth/url?apiKey=k&apiSecret=" + API_SECRET
                + "&callbackUrl=https%3A%2F%2Fapp.example.com%2Fcb&state=s&subdomain=acme", ALICE));
        // the answer to a creation is the one place its token is shown, so it is not kept for the search
        JsonNode created = json(create(ALICE, seed("first-code-3e5f")));
        long id = created.get("id").asLong();
        String instanceToken = created.get("token").asText();
        keep(get("/instances", ALICE));
        keep(get("/instances/" + id, ALICE));
        keep(get("/instances/polling-disabled", ALICE));
        keep(sendJson("PATCH", "/instances/" + id, ALICE, "{\"providerData\": {\"code\": \"second-code-8a1b\"}}"));
        keep(sendJson("PATCH", "/instances/" + id, ALICE, "{\"configuration\": "
                + "{\"oauth.api.secret\": \"" + rotatedSecret + "\", \"event.notification.signature.key\": \"" + rotatedKey + "\"}}"));
        keep(get("/instances/" + id + "/configuration", ALICE));
        keep(sendJson("PATCH", "/instances/" + id + "/configuration/7", ALICE, "{\"propertyValue\": \"" + rotatedKey + "\"}"));
        keep(sendJson("PATCH", "/instances/" + id + "/configuration/2", ALICE, "{\"propertyValue\": \"" + rotatedSecret + "\"}"));
        keep(sendJson("PUT", "/instances/" + id, ALICE, json(get("/instances/" + id, ALICE)).toString()));
        keep(get("/instances/events", ALICE));
        // Egnyte now refuses the exchange: the rotated secret is not the client's
        keep(sendJson("PATCH", "/instances/" + id, ALICE, "{\"providerData\": {\"code\": \"refused-code-5d2\"}}"));
        keep(create(ALICE, seedWithWrongClientSecret("refused-code-6e3")));
        egnyte.tokenRateLimitNext(1, 30);
        keep(create(ALICE, seed("rate-limited-code-7f4")));
        keep(create(ALICE, "{\"configuration\": {\"oauth.api.secret\": \"" + API_SECRET + "\", }"));
        keep(create(ALICE, seed("third-code").replace("\"subdomain\": \"acme\"", "\"subdomain\": \"" + API_SECRET + ".x\"")));
        keep(get("/instances", "User " + ALICE_SECRET + ", Organization " + BOB_SECRET));
        keep(get("/instances/" + id, BOB));
        refuseScheduling(); // the next poller cannot be scheduled: a 500
        keep(create(ALICE, seed("fourth-code-c0de")));
        allowScheduling();
        keep(send(HttpRequest.newBuilder(URI.create(baseUrl() + "/instances/" + id)).DELETE().header("Authorization", ALICE)));

        List<String> secrets = List.of(API_SECRET, SIGNATURE_KEY, rotatedSecret, rotatedKey, instanceToken,
                accessTokenFor("first-code-3e5f"), accessTokenFor("second-code-8a1b"), accessTokenFor("fourth-code-c0de"),
                "first-code-3e5f", "second-code-8a1b", "refused-code-5d2", "refused-code-6e3", "wrong-client-secret", ALICE_SECRET, BOB_SECRET, ORG_SECRET, ENCRYPTION_KEY);
        String logged = log.text();
        assertThat(logged).contains("Egnyte token endpoint", "Internal error"); // the log was captured
        for (String secret : secrets) {
            assertThat(logged).as("log").doesNotContain(secret);
            for (HttpResponse<String> response : responses) {
                assertThat(response.body() + response.headers().map()).as(response.request().uri().getPath()).doesNotContain(secret);
            }
        }
    }
}
