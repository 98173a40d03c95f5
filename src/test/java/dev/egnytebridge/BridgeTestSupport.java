package dev.egnytebridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Starts the real bridge (application.properties, every YAML route in routes/, BridgeConfiguration's configuration classes) through Camel
 * Main's test support, on a free port and a fresh database per test class (H2, or PostgreSQL with
 * {@code -Dbridge.test.database=postgres}: see {@link TestDatabase}), and talks to it over real HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BridgeTestSupport extends CamelMainTestSupport {

    public static final String ORG_SECRET = "test-org-secret-0123456789";
    public static final String ALICE_SECRET = "alice-secret-0123456789";
    public static final String BOB_SECRET = "bob-secret-0123456789";
    public static final String ALICE = "User " + ALICE_SECRET + ", Organization " + ORG_SECRET;
    public static final String BOB = "User " + BOB_SECRET + ", Organization " + ORG_SECRET;

    public static final String ENCRYPTION_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    protected final int port = AvailablePortFinder.getNextAvailable();
    /** The management server's port (health, metrics): never the fixed default, so test runs do not collide. */
    protected final int managementPort = AvailablePortFinder.getNextAvailable();
    protected final Path dataDir = newTempDir();
    /** Fixed per test class, so a class that restarts the bridge finds its data again (H2 or PostgreSQL: TestDatabase). */
    private final Properties datasource = TestDatabase.freshDatasource(dataDir);
    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path newTempDir() {
        try {
            return Files.createTempDirectory("bridge-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        BridgeConfiguration.addTo(configuration);
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:application.properties";
    }

    // Camel's test support asks for the context configuration from its constructor, before this class's fields
    // exist; it keeps this Properties object, which doPreSetup fills once the fields (port, data dir) are set.
    private Properties contextOverrides;

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        contextOverrides = new Properties();
        context.withUseOverridePropertiesWithPropertiesComponent(contextOverrides);
    }

    @Override
    protected void doPreSetup() throws Exception {
        super.doPreSetup();
        contextOverrides.putAll(overrides());
    }

    /** Properties every test class runs with; subclasses add their own (fake Egnyte URL, intervals). */
    protected Properties overrides() {
        Properties p = new Properties();
        p.setProperty("camel.server.port", String.valueOf(port));
        p.setProperty("camel.server.host", "127.0.0.1");
        p.setProperty("camel.management.port", String.valueOf(managementPort));
        p.setProperty("camel.management.host", "127.0.0.1");
        p.setProperty("bridge.data-dir", dataDir.toString());
        p.putAll(datasource);
        p.setProperty("bridge.security.organization-secret", ORG_SECRET);
        p.setProperty("bridge.security.users", "alice=" + ALICE_SECRET + ",bob=" + BOB_SECRET);
        p.setProperty("bridge.security.encryption-key", ENCRYPTION_KEY);
        // the tests poll every second, which a daily call budget would space 86 s apart (DailyCallBudgetTest sets one)
        p.setProperty("egnyte.rate-limit.calls-per-day", "0");
        return p;
    }

    /**
     * Camel's test support (4.18) leaves a per-class context running after its class: its pollers, HTTP server and
     * connection pool would live on through the rest of the suite (on PostgreSQL the suite ran out of connections).
     */
    @AfterAll
    void stopTheBridge() {
        if (context != null) {
            context.stop();
        }
    }

    /**
     * Starts a second bridge process-alike on this class's database (a cluster node, or this bridge after a restart),
     * with this class's overrides on free ports; the caller stops it.
     */
    protected org.apache.camel.main.Main startAnotherBridge() throws Exception {
        org.apache.camel.main.Main other = new org.apache.camel.main.Main();
        BridgeConfiguration.addTo(other.configure());
        other.setDefaultPropertyPlaceholderLocation("file:application.properties");
        Properties properties = overrides();
        properties.setProperty("camel.server.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        properties.setProperty("camel.management.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        other.setOverrideProperties(properties);
        other.start();
        return other;
    }

    protected String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    protected HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<String> get(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    protected HttpResponse<String> sendJson(String method, String path, String authorization, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }
}
