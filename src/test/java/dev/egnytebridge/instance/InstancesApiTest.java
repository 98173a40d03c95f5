package dev.egnytebridge.instance;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstancesApiTest extends InstanceApiTestSupport {

    @Test
    void acceptsTheSeedExampleVerbatim() {
        HttpResponse<String> response = create(ALICE, seed("seed-code"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("id").isNumber()).isTrue();
        assertThat(body.get("name").asText()).isEqualTo("API_Polling");
    }
}
