package dev.egnytebridge.poller;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceSecrets;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.instance.ResourceConfig;
import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.sandbox.CallbackSink;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import dev.egnytebridge.sandbox.RecordedRequest;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

/**
 * The whole pipeline against a fake Egnyte and real HTTP callback receivers on loopback: instances stored in the
 * database and scheduled like the REST API does, polled on a one-second interval.
 */
public abstract class PipelineTestSupport extends BridgeTestSupport {

    protected static final ObjectMapper JSON = new ObjectMapper();

    protected final EgnyteSimulator egnyte = new EgnyteSimulator().start();
    protected final CallbackSink sink = new CallbackSink().start();
    private final List<Long> created = new ArrayList<>();

    /** Each test's instances stop polling when it ends, so they do not load the next test. */
    @AfterEach
    void stopPollers() throws Exception {
        PollerScheduler scheduler = context.isStarted() ? scheduler() : null;
        for (long id : created) {
            if (scheduler != null) {
                scheduler.unschedule(id);
            }
        }
        created.clear();
        egnyte.clearFaults();
    }

    @AfterAll
    void stopFakes() {
        egnyte.close();
        sink.close();
    }

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("egnyte.base-url", egnyte.baseUrl());
        p.setProperty("bridge.poller.min-interval-seconds", "1");
        p.setProperty("bridge.delivery.retry-schedule", "200ms,400ms");
        p.setProperty("bridge.delivery.retry-jitter", "0");
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        // one sink serves every callback path: a path answering 500 on purpose must not open the sink's circuit
        p.setProperty("bridge.delivery.circuit.failures", "1000");
        return p;
    }

    protected InstanceStore instances() {
        return context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
    }

    protected PollerScheduler scheduler() {
        return context.getRegistry().lookupByNameAndType("pollerScheduler", PollerScheduler.class);
    }

    protected PollCursors cursors() {
        return context.getRegistry().lookupByNameAndType("pollCursors", PollCursors.class);
    }

    /** The seed's events configuration polled every second, delivering to the given callback URLs. */
    protected Instance createInstance(String callbackUrls, String signatureKey) throws Exception {
        return createInstance(callbackUrls, signatureKey, eventsResource("/hubs/documents/events"));
    }

    protected Instance createInstance(String callbackUrls, String signatureKey, ObjectNode pollerConfiguration) throws Exception {
        return createInstance(callbackUrls, signatureKey, pollerConfiguration, "0.0167");
    }

    /** As above, polled every {@code refreshIntervalMinutes} (event.poller.refresh_interval). */
    protected Instance createInstance(String callbackUrls, String signatureKey, ObjectNode pollerConfiguration,
                                      String refreshIntervalMinutes) throws Exception {
        return createInstance(callbackUrls, signatureKey, pollerConfiguration, refreshIntervalMinutes, JSON.createObjectNode());
    }

    /** As above, with more configuration entries ({@code extra}, e.g. event.notification.gaps). */
    protected Instance createInstance(String callbackUrls, String signatureKey, ObjectNode pollerConfiguration,
                                      String refreshIntervalMinutes, ObjectNode extra) throws Exception {
        ObjectNode configuration = extra.deepCopy();
        configuration.put("subdomain", "acme");
        configuration.put("event.notification.enabled", true);
        configuration.put("event.notification.callback.url", callbackUrls);
        configuration.put("event.poller.refresh_interval", refreshIntervalMinutes);
        configuration.set("event.poller.configuration", pollerConfiguration);
        String accessToken = "egnyte-access-token-" + System.nanoTime();
        egnyte.registerToken(accessToken);
        Instance instance = instances().insert("alice", "API_Polling", "egnyte", "acme", configuration,
                new InstanceSecrets(accessToken, "api-secret", signatureKey), List.of("Test"), true,
                "hash-" + System.nanoTime());
        scheduler().refresh(instance);
        created.add(instance.id());
        return instance;
    }

    /** The instance's calls to Egnyte's public API that the fake Egnyte received, oldest first. */
    protected List<RecordedRequest> callsOf(Instance instance) {
        String bearer = "Bearer " + instance.secrets().accessToken();
        return egnyte.requestsTo("/pubapi/").stream().filter(r -> bearer.equals(r.header("Authorization"))).toList();
    }

    protected static ObjectNode eventsResource(String url) {
        ObjectNode events = ResourceConfig.seedEventsResource();
        events.put("url", url);
        ObjectNode configuration = JSON.createObjectNode();
        configuration.set("events", events);
        return configuration;
    }

    protected Instance reload(Instance instance) {
        return instances().find(instance.id()).orElseThrow();
    }

    /** The cursor stored for a resource, or null before the first poll stored one. */
    protected String cursorOf(Instance instance, String resource) {
        return cursors().find(instance.id(), resource).map(PollCursors.Position::cursor).orElse(null);
    }

    /** How many polls of the instance failed on this node (the bridge.polls metric, outcome failed). */
    protected double failedPolls(Instance instance) {
        Counter failed = BridgeMetrics.of(context).registry().find("bridge.polls")
                .tag(BridgeMetrics.INSTANCE_ID, String.valueOf(instance.id())).tag("outcome", "failed").counter();
        return failed == null ? 0 : failed.count();
    }

    /** Every notification message received on one sink path, parsed. */
    protected List<JsonNode> messages(String path) {
        List<JsonNode> messages = new ArrayList<>();
        for (CallbackSink.Received r : sink.received(path)) {
            try {
                messages.add(JSON.readTree(r.body()).path("message"));
            } catch (Exception e) {
                throw new AssertionError("Not JSON: " + r.body(), e);
            }
        }
        return messages;
    }

    /** The objectIds of every event received on one sink path, in arrival order. */
    protected List<String> objectIds(String path) {
        List<String> ids = new ArrayList<>();
        for (JsonNode message : messages(path)) {
            message.path("events").forEach(e -> ids.add(e.path("objectId").asText()));
        }
        return ids;
    }
}
