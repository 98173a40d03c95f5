package dev.egnytebridge.instance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceValidationTest extends InstanceApiTestSupport {

    /** The seed example with one change applied to its JSON tree. */
    private static String seedWith(java.util.function.Consumer<ObjectNode> change) {
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(seed("valid-code"));
            change.accept(body);
            return JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode config(ObjectNode body) {
        return (ObjectNode) body.get("configuration");
    }

    private static ObjectNode events(ObjectNode body) {
        return (ObjectNode) body.at("/configuration/event.poller.configuration/events");
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"element\": {\"key\": \"egnyte\"", "body"),
                Arguments.of("not an object", "[1, 2]", "body"),
                Arguments.of("empty body", "", "body"),
                Arguments.of("duplicate key", "{\"name\": \"a\", \"name\": \"b\"}", "body"),
                Arguments.of("unknown element", seedWith(b -> b.putObject("element").put("key", "dropbox")), "element.key"),
                Arguments.of("missing element", seedWith(b -> b.remove("element")), "element.key"),
                Arguments.of("element not an object", seedWith(b -> b.put("element", "egnyte")), "element"),
                Arguments.of("missing code", seedWith(b -> b.remove("providerData")), "providerData.code"),
                Arguments.of("empty code", seedWith(b -> b.putObject("providerData").put("code", "")), "providerData.code"),
                Arguments.of("code not a string", seedWith(b -> b.putObject("providerData").put("code", 42)), "providerData.code"),
                Arguments.of("missing name", seedWith(b -> b.remove("name")), "name"),
                Arguments.of("name not a string", seedWith(b -> b.put("name", 5)), "name"),
                Arguments.of("name too long", seedWith(b -> b.put("name", "n".repeat(401))), "name"),
                Arguments.of("tags not an array", seedWith(b -> b.put("tags", "Test")), "tags"),
                Arguments.of("tags not strings", seedWith(b -> b.putArray("tags").add(1)), "tags"),
                Arguments.of("missing configuration", seedWith(b -> b.remove("configuration")), "configuration"),
                Arguments.of("configuration not an object", seedWith(b -> b.put("configuration", "x")), "configuration"),
                Arguments.of("missing api key", seedWith(b -> config(b).remove("oauth.api.key")), "configuration.oauth.api.key"),
                Arguments.of("missing api secret", seedWith(b -> config(b).remove("oauth.api.secret")), "configuration.oauth.api.secret"),
                Arguments.of("api secret not a string", seedWith(b -> config(b).put("oauth.api.secret", 7)), "configuration.oauth.api.secret"),
                Arguments.of("missing oauth callback", seedWith(b -> config(b).remove("oauth.callback.url")), "configuration.oauth.callback.url"),
                Arguments.of("missing subdomain", seedWith(b -> config(b).remove("subdomain")), "configuration.subdomain"),
                Arguments.of("subdomain not a DNS label", seedWith(b -> config(b).put("subdomain", "evil.example.com/x")), "configuration.subdomain"),
                Arguments.of("events flag not boolean", seedWith(b -> config(b).put("event.notification.enabled", "yes")),
                        "configuration.event.notification.enabled"),
                Arguments.of("missing callback while events on", seedWith(b -> config(b).remove("event.notification.callback.url")),
                        "configuration.event.notification.callback.url"),
                Arguments.of("non-http callback", seedWith(b -> config(b).put("event.notification.callback.url", "ftp://files.example.com")),
                        "configuration.event.notification.callback.url"),
                Arguments.of("zero interval", seedWith(b -> config(b).put("event.poller.refresh_interval", "0")),
                        "configuration.event.poller.refresh_interval"),
                Arguments.of("negative interval", seedWith(b -> config(b).put("event.poller.refresh_interval", -15)),
                        "configuration.event.poller.refresh_interval"),
                Arguments.of("interval not a number", seedWith(b -> config(b).put("event.poller.refresh_interval", "soon")),
                        "configuration.event.poller.refresh_interval"),
                Arguments.of("invalid date pattern", seedWith(b -> ((ObjectNode) events(b).get("datesConfiguration"))
                                .put("updatedDateFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX{{bbb")),
                        "configuration.event.poller.configuration.events.datesConfiguration.updatedDateFormat"),
                Arguments.of("unknown time zone", seedWith(b -> ((ObjectNode) events(b).get("datesConfiguration"))
                                .put("updatedDateTimezone", "Mars/Olympus")),
                        "configuration.event.poller.configuration.events.datesConfiguration.updatedDateTimezone"),
                Arguments.of("resource url not a path", seedWith(b -> events(b).put("url", "https://elsewhere.example.com")),
                        "configuration.event.poller.configuration.events.url"),
                Arguments.of("unknown vendor type", seedWith(b -> config(b).put("event.vendor.type", "push")),
                        "configuration.event.vendor.type"),
                // this bridge has no bridge.public-base-url, which webhooks mode needs
                Arguments.of("webhooks without a public base URL", seedWith(b -> config(b).put("event.vendor.type", "webhooks")),
                        "configuration.event.vendor.type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void rejectsBadInputNamingTheFieldAndStoresNothing(String why, String body, String field) {
        long before = count();
        int exchanges = egnyte.tokenRequests().size();
        HttpResponse<String> response = create(ALICE, body);
        assertThat(response.statusCode()).as(why + ": " + response.body()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.get("field").asText()).as(why).isEqualTo(field);
        assertThat(error.get("message").asText()).as(why).isNotBlank();
        assertThat(response.body()).doesNotContain(API_SECRET, SIGNATURE_KEY);
        assertThat(count()).as(why).isEqualTo(before);
        assertThat(egnyte.tokenRequests()).as(why + ": no code exchanged for a bad request").hasSize(exchanges);
    }

    @Test
    void webhooksModeOnABridgeWithoutAPublicBaseUrlNamesTheProperty() {
        HttpResponse<String> response = create(ALICE, seedWith(b -> config(b).put("event.vendor.type", "webhooks")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).contains("bridge.public-base-url");
    }

    @Test
    void eventsOffNeedNoCallback() {
        HttpResponse<String> response = create(ALICE, seedWith(b -> {
            config(b).put("event.notification.enabled", false);
            config(b).remove("event.notification.callback.url");
        }));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("eventsEnabled").asBoolean()).isFalse();
    }

    @Test
    void codeRefusedByEgnyteIsA400CarryingEgnytesMessage() {
        long before = count();
        HttpResponse<String> response = create(ALICE, seedWithWrongClientSecret("refused-code-1"));
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.get("field").asText()).isEqualTo("providerData.code");
        assertThat(error.get("message").asText()).contains("Egnyte refused", "wrong client secret")
                .doesNotContain("refused-code-1", "wrong-client-secret");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void egnyteRateLimitingIsA502() {
        long before = count();
        egnyte.tokenRateLimitNext(1, 60);
        HttpResponse<String> response = create(ALICE, seed("code-while-rate-limited"));
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json(response).get("message").asText()).contains("Egnyte");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void bodyOverOneMebibyteIsA413() {
        long before = count();
        String padding = "x".repeat(1024 * 1024);
        String body = seedWith(b -> b.put("padding", padding));
        HttpResponse<String> response = create(ALICE, body);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void bodyJustUnderTheLimitIsRead() {
        // insignificant whitespace: unknown fields are refused, so the padding cannot be a field of its own
        String padding = " ".repeat(1000 * 1000);
        HttpResponse<String> response = create(ALICE, seedWith(b -> { }) + padding);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void wrongMethodIsNotServed() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/instances"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).header("Authorization", ALICE));
        assertThat(response.statusCode()).isIn(404, 405);
    }
}
