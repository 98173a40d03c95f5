package dev.egnytebridge.api;

import java.net.http.HttpResponse;
import java.util.List;

import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceApiTestSupport;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiAuthenticationTest extends InstanceApiTestSupport {

    @Test
    void rejectsMissingWrongAndMalformedCredentialsWithA401Json() {
        List<String> refused = java.util.Arrays.asList(
                null,
                "",
                "Bearer " + ALICE_SECRET,
                "User " + ALICE_SECRET,
                "Organization " + ORG_SECRET,
                "User wrong-secret, Organization " + ORG_SECRET,
                "User " + ALICE_SECRET + ", Organization wrong-org",
                "User " + ORG_SECRET + ", Organization " + ALICE_SECRET,
                "User " + ALICE_SECRET + ", User " + BOB_SECRET + ", Organization " + ORG_SECRET,
                "User " + ALICE_SECRET + ", Organization " + ORG_SECRET + ", Organization " + ORG_SECRET,
                "User " + ALICE_SECRET + ", Organization " + ORG_SECRET + ", Admin yes",
                "User " + ALICE_SECRET + "x, Organization " + ORG_SECRET,
                "User , Organization " + ORG_SECRET);
        for (String authorization : refused) {
            HttpResponse<String> response = get("/instances", authorization);
            assertThat(response.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(json(response).get("message").asText()).contains("credentials");
            assertThat(response.body() + response.headers().map()).doesNotContain(ALICE_SECRET, BOB_SECRET, ORG_SECRET);
        }
    }

    @Test
    void everyRouteAuthenticates() {
        assertThat(get("/instances/1", null).statusCode()).isEqualTo(401);
        assertThat(get("/instances/polling-disabled", null).statusCode()).isEqualTo(401);
        assertThat(sendJson("POST", "/instances", null, seed("unauthenticated")).statusCode()).isEqualTo(401);
        assertThat(sendJson("PATCH", "/instances/1", null, "{}").statusCode()).isEqualTo(401);
        assertThat(send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/instances/1")).DELETE()).statusCode())
                .isEqualTo(401);
    }

    @Test
    void acceptsKeywordsInAnyOrderAndCase() {
        assertThat(get("/instances", "organization " + ORG_SECRET + ",user " + ALICE_SECRET).statusCode()).isEqualTo(200);
    }

    private Exchange exchangeWith(String authorization) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader("Authorization", authorization);
        return exchange;
    }

    @Test
    void elementAuthenticationExposesTheCallersInstance() {
        var created = json(create(ALICE, seed("code-for-element-auth")));
        ApiAuthenticator auth = context.getRegistry().lookupByNameAndType("apiAuth", ApiAuthenticator.class);
        Exchange exchange = exchangeWith(ALICE + ", Element " + created.get("token").asText());

        auth.element(exchange);

        assertThat(exchange.getProperty(ApiAuthenticator.USER)).isEqualTo("alice");
        assertThat(exchange.getProperty(ApiAuthenticator.INSTANCE, Instance.class).id()).isEqualTo(created.get("id").asLong());
        assertThat(exchange.getMessage().getHeader("Authorization")).isNull();
    }

    @Test
    void elementAuthenticationRefusesAnotherUsersOrAnUnknownToken() {
        var created = json(create(ALICE, seed("code-for-element-refusal")));
        ApiAuthenticator auth = context.getRegistry().lookupByNameAndType("apiAuth", ApiAuthenticator.class);
        for (String authorization : List.of(BOB + ", Element " + created.get("token").asText(),
                ALICE + ", Element not-a-token", ALICE)) {
            assertThatThrownBy(() -> auth.element(exchangeWith(authorization)))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
    }

    @Test
    void userAuthenticationSetsTheUserAndDropsTheHeader() {
        ApiAuthenticator auth = context.getRegistry().lookupByNameAndType("apiAuth", ApiAuthenticator.class);
        Exchange exchange = exchangeWith(BOB);
        // the routes keep the answer in property bridgeUser (setProperty ... method: {ref: apiAuth, method: user})
        assertThat(auth.user(exchange.getMessage())).isEqualTo("bob");
        assertThat(exchange.getMessage().getHeader("Authorization")).isNull();
    }
}
