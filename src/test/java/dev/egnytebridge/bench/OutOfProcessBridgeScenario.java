package dev.egnytebridge.bench;

import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import org.junit.jupiter.api.AfterAll;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The bridge in the test JVM (the measured process) and its fakes in another ({@link OutOfProcessFakes}). Goes
 * through what both the old and the new delivery engine offer: bridge properties, the REST API (instances are created
 * with POST /instances, the fake Egnyte exchanging any code), the outbox tables and real HTTP.
 */
abstract class OutOfProcessBridgeScenario extends BridgeTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    protected final OutOfProcessFakes fakes = OutOfProcessFakes.withEgnyte("bench-fakes-" + getClass().getSimpleName() + ".log");

    /** An instance created over REST: its id and the access token the fake Egnyte gave it. */
    record Created(long id, String token) {
    }

    protected abstract BenchScale scale();

    /** Bridge properties of the scenario (added to the common ones; {@code -Dbench.bridge.*} still wins). */
    protected void scenarioProperties(Properties p) {
    }

    @Override
    protected final Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("egnyte.base-url", fakes.egnyteBaseUrl());
        // the receivers are on loopback
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        scenarioProperties(p);
        BenchScale.bridgeOverrides().forEach(p::setProperty);
        return p;
    }

    @AfterAll
    void closeFakes() {
        fakes.close();
    }

    /** The bridge property as resolved in this run, or "n/a" when this build does not define it. */
    protected String property(String name) {
        try {
            Optional<String> value = context.getPropertiesComponent().resolveProperty(name);
            return value.orElse("n/a");
        } catch (RuntimeException e) {
            return "n/a";
        }
    }

    /** Creates an instance over POST /instances (events on, the events resource), as a user would. */
    protected Created createInstance(String name, String callbackUrls, String signatureKey, String refreshMinutes) {
        return createInstance(baseUrl(), name, callbackUrls, signatureKey, refreshMinutes);
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    /** The same, on the bridge at {@code bridgeUrl} (one of its own process, say). */
    protected static Created createInstance(String bridgeUrl, String name, String callbackUrls, String signatureKey,
                                            String refreshMinutes) {
        String code = "bench-" + name + "-" + System.nanoTime();
        ObjectNode events = JSON.createObjectNode();
        events.put("url", "/hubs/documents/events");
        events.put("idField", "event_object_id");
        ObjectNode body = dev.egnytebridge.InstanceRequestBody.of(name, "bench", code, callbackUrls, signatureKey,
                refreshMinutes, JSON.createObjectNode().set("events", events));
        try {
            HttpResponse<String> response = HTTP.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(bridgeUrl + "/instances"))
                    .header("Authorization", ALICE).header("Content-Type", "application/json")
                    .timeout(java.time.Duration.ofSeconds(60))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST /instances answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode created = JSON.readTree(response.body());
            return new Created(created.path("id").asLong(), EgnyteSimulator.tokenForCode(code));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected void deleteInstance(long id) {
        HttpResponse<String> response = send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(baseUrl() + "/instances/" + id)).header("Authorization", ALICE).DELETE());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("DELETE /instances/" + id + " answered " + response.statusCode());
        }
    }

    protected JdbcTemplate jdbc() {
        return context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
    }

    /** CPU seconds of the fakes process over a measured stretch, for the report ("n/a" when unknown). */
    static String fakesCpu(long before, long after) {
        return before < 0 || after < 0 ? "n/a" : BenchFigures.fmt((after - before) / 1e9, 2);
    }
}
