package dev.egnytebridge.instance;

import java.net.http.HttpResponse;
import java.util.Properties;

import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The code exchange against the Egnyte simulator taking only the codes it issued, each once. */
class InstanceOAuthWithSimulatorTest extends BridgeTestSupport {

    private final EgnyteSimulator egnyte = new EgnyteSimulator().start()
            .expectClient("consumer-key-123", InstanceApiTestSupport.API_SECRET);

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("egnyte.base-url", egnyte.baseUrl());
        return p;
    }

    @AfterAll
    void stopSimulator() {
        egnyte.close();
    }

    private HttpResponse<String> create(String body) {
        return sendJson("POST", "/instances", ALICE, body);
    }

    @Test
    void aCodeIsGoodForOneInstanceOnly() {
        egnyte.acceptCode("sim-code-1", "sim-access-token-1");
        HttpResponse<String> first = create(InstanceApiTestSupport.seed("sim-code-1"));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        HttpResponse<String> again = create(InstanceApiTestSupport.seed("sim-code-1"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(400);
        assertThat(InstanceApiTestSupport.json(again).get("field").asText()).isEqualTo("providerData.code");
    }

    @Test
    void wrongClientSecretIsRefused() {
        egnyte.acceptCode("sim-code-2", "sim-access-token-2");
        HttpResponse<String> response = create(InstanceApiTestSupport.seed("sim-code-2")
                .replace(InstanceApiTestSupport.API_SECRET, "not-the-client-secret"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("not-the-client-secret");
    }

    @Test
    void tokenEndpointRateLimitIsA502() {
        egnyte.acceptCode("sim-code-3", "sim-access-token-3").tokenRateLimitNext(1, 60);
        HttpResponse<String> response = create(InstanceApiTestSupport.seed("sim-code-3"));
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(InstanceApiTestSupport.json(response).get("message").asText()).contains("retry after 60 seconds");
    }
}
