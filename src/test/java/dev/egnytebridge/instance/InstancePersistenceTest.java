package dev.egnytebridge.instance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egnytebridge.BridgeConfiguration;
import dev.egnytebridge.poller.PollerScheduler;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Instances survive a restart: stop the bridge, start a new one on the same database, the instance is still there. */
class InstancePersistenceTest extends InstanceApiTestSupport {

    @Test
    void instanceSurvivesARestartWithItsSecretsStillReadable() throws Exception {
        JsonNode created = json(create(ALICE, seed("code-before-restart")));
        long id = created.get("id").asLong();
        context.stop();

        int newPort = AvailablePortFinder.getNextAvailable();
        Main restarted = new Main();
        BridgeConfiguration.addTo(restarted.configure());
        restarted.setDefaultPropertyPlaceholderLocation("file:application.properties");
        Properties properties = overrides();
        properties.setProperty("camel.server.port", String.valueOf(newPort));
        restarted.setOverrideProperties(properties);
        restarted.start();
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + newPort + "/instances/" + id))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", ALICE).GET());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(body.get("name").asText()).isEqualTo("API_Polling");
            assertThat(body.get("configuration")).isEqualTo(created.get("configuration"));

            InstanceStore store = restarted.getCamelContext().getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
            Instance instance = store.find(id).orElseThrow();
            assertThat(instance.secrets().accessToken()).isEqualTo(accessTokenFor("code-before-restart"));
            assertThat(instance.secrets().apiSecret()).isEqualTo(API_SECRET);
            PollerScheduler pollers = restarted.getCamelContext().getRegistry().lookupByNameAndType("pollerScheduler", PollerScheduler.class);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> pollers.isScheduled(id));
            assertThat(store.findByTokenHash(dev.egnytebridge.security.Tokens.sha256Hex(created.get("token").asText()))).isPresent();
        } finally {
            restarted.stop();
        }
    }
}
