package dev.egnytebridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceSecrets;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.instance.ResourceConfig;
import dev.egnytebridge.poller.PollerScheduler;
import dev.egnytebridge.sandbox.CallbackSink;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The bridge inside a plain CamelContext (no Camel Main, no HTTP server), on the host's own DataSource. */
class BridgeEmbeddingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPlainCamelContextWithTheBridgeEmbeddedDeliversNotifications() throws Exception {
        Path dataDir = Files.createTempDirectory("bridge-embedded");
        try (EgnyteSimulator egnyte = new EgnyteSimulator().start();
             CallbackSink sink = new CallbackSink().start();
             HikariDataSource hostDataSource = new HikariDataSource()) {
            hostDataSource.setJdbcUrl("jdbc:h2:mem:host-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            hostDataSource.setUsername("sa");

            DefaultCamelContext host = new DefaultCamelContext();
            Properties hostProperties = new Properties();
            hostProperties.setProperty("bridge.data-dir", dataDir.toString());
            hostProperties.setProperty("bridge.security.organization-secret", BridgeTestSupport.ORG_SECRET);
            hostProperties.setProperty("bridge.security.users", "alice=" + BridgeTestSupport.ALICE_SECRET);
            hostProperties.setProperty("bridge.security.encryption-key", BridgeTestSupport.ENCRYPTION_KEY);
            hostProperties.setProperty("egnyte.base-url", egnyte.baseUrl());
            hostProperties.setProperty("bridge.poller.min-interval-seconds", "1");
            // a poll a second would be spaced to the daily call budget (86 s at 1,000 calls); none here
            hostProperties.setProperty("egnyte.rate-limit.calls-per-day", "0");
            hostProperties.setProperty("bridge.callbacks.allow-private-addresses", "true");
            host.getPropertiesComponent().setOverrideProperties(hostProperties);

            BridgeEmbedding.embed(host, hostDataSource);
            host.start();
            try {
                // the packaged routes run, the REST API is left out (this host serves no HTTP)
                assertThat(host.getRoute("hand-off-new-objects")).isNotNull();
                assertThat(host.getRoute("dispatch-deliveries")).isNotNull();
                assertThat(host.getRoute("create-instance")).isNull();
                assertThat(host.getRestConfiguration().getApiContextPath()).isNull();
                // the host's DataSource is the bridge's, migrated; no pool of its own was opened
                assertThat(host.getRegistry().lookupByName("bridgeDataSource")).isSameAs(hostDataSource);
                // the packaged defaults fill what the host did not set
                assertThat(host.resolvePropertyPlaceholders("{{egnyte.http.timeout-ms}}")).isEqualTo("30000");

                InstanceStore store = host.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
                PollerScheduler pollers = host.getRegistry().lookupByNameAndType("pollerScheduler", PollerScheduler.class);
                Instance instance = createInstance(store, egnyte, sink.url("/embedded"));
                pollers.refresh(instance);
                await().atMost(Duration.ofSeconds(20)).until(() -> hasCursor(hostDataSource, instance.id()));

                long created = egnyte.addEvent("create", "/Shared/embedded.docx", false);
                await().atMost(Duration.ofSeconds(20)).until(() -> sink.received("/embedded").size() == 1);
                JsonNode message = JSON.readTree(sink.received("/embedded").get(0).body()).path("message");
                assertThat(message.path("instanceId").asLong()).isEqualTo(instance.id());
                assertThat(message.path("events").get(0).path("objectId").asText()).isEqualTo(String.valueOf(created));
            } finally {
                host.stop();
            }
        }
    }

    private static boolean hasCursor(HikariDataSource dataSource, long instanceId) throws Exception {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("SELECT COUNT(*) FROM poll_cursor WHERE instance_id = ?")) {
            statement.setLong(1, instanceId);
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    private static Instance createInstance(InstanceStore store, EgnyteSimulator egnyte, String callbackUrl) {
        ObjectNode poller = JSON.createObjectNode();
        poller.set("events", ResourceConfig.seedEventsResource());
        ObjectNode configuration = JSON.createObjectNode();
        configuration.put("subdomain", "acme");
        configuration.put("event.notification.enabled", true);
        configuration.put("event.notification.callback.url", callbackUrl);
        configuration.put("event.poller.refresh_interval", "0.0167");
        configuration.set("event.poller.configuration", poller);
        String token = "embedded-token-" + System.nanoTime();
        egnyte.registerToken(token);
        return store.insert("alice", "Embedded", "egnyte", "acme", configuration,
                new InstanceSecrets(token, "api-secret", null), List.of(), true, "hash-" + System.nanoTime());
    }
}
