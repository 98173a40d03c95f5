package dev.egnytebridge.guarantees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.PackagedBridge;
import dev.egnytebridge.instance.ResourceConfig;
import dev.egnytebridge.sandbox.CallbackSink;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At-least-once delivery to every endpoint across a {@code kill -9}: the packaged jar runs as a separate process, is
 * killed with SIGKILL in the middle of a burst of thousands of events to three callbacks, and is restarted on the same
 * data folder. Every event must then reach every callback; only notifications in flight at the kill may arrive twice,
 * with the same eventId; and no event may come back under a second eventId (which a lost cursor would cause).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryIT {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String ORG_SECRET = "it-org-secret-0123456789";
    private static final String ALICE_SECRET = "it-alice-secret-0123456789";
    private static final String ALICE = "User " + ALICE_SECRET + ", Organization " + ORG_SECRET;
    private static final String ENCRYPTION_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    private static final String API_SECRET = "it-consumer-secret";
    private static final String SIGNATURE_KEY = "it-signature-key-5b8a3f10";

    private static final int BURST = 3_000;
    private static final List<String> CALLBACKS = List.of("/hooks/a", "/hooks/b", "/hooks/c");
    /** /hooks/c answers 500 to its first POSTs, so retries are pending when the bridge dies. */
    private static final int FAILING_POSTS = 60;
    /**
     * Each callback answers this late, so deliveries are in flight most of the time, yet keep pace with the poll: the
     * kill then comes right after many commits (a delivery just arrived), which is when a database that acknowledges
     * commits before writing them would lose some.
     */
    private static final long SINK_DELAY_MS = 20;

    // Delivery settings of the bridge under test. A duplicate is a notification an endpoint received whose
    // DELIVERED status was not yet stored at the kill: it was claimed (leased) and not settled. At most MAX_CONCURRENCY
    // requests are in flight (bridge.delivery.max-in-flight), and a slot is only freed once its outcome is stored;
    // we allow one more claimed batch on top for deliveries leased and waiting for a slot.
    private static final int MAX_CONCURRENCY = 8;
    private static final int BATCH_SIZE = 20;
    private static final int DUPLICATE_BOUND = MAX_CONCURRENCY + BATCH_SIZE;
    /** Longer than any attempt (2 x timeout) even on a loaded machine, short enough to wait for after the kill. */
    private static final int TIMEOUT_MS = 5_000;
    private static final int LEASE_SECONDS = 15;
    /**
     * An in-flight delivery is sent again only when its lease has run out, LEASE_SECONDS after its claim; its first
     * POST reached the endpoint at most an attempt (2 x TIMEOUT_MS) after the claim.
     */
    private static final Duration MIN_RESEND_GAP = Duration.ofSeconds(LEASE_SECONDS).minusMillis(2L * TIMEOUT_MS);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final EgnyteSimulator egnyte = new EgnyteSimulator().start()
            .acceptAnyCode(true)
            .expectClient("it-consumer-key", API_SECRET);
    private final CallbackSink sink = new CallbackSink().start().expectSignatureKey(SIGNATURE_KEY);
    private final int port = PackagedBridge.freePort();
    private final Path dataDir = tempDir();
    private PackagedBridge bridge;

    @AfterAll
    void stopEverything() throws Exception {
        kill();
        egnyte.close();
        sink.close();
    }

    @Test
    void deliversEveryEventToEveryCallbackAfterAKillDashNine() throws Exception {
        bridge = start(1);
        assertThat(createInstance()).as("id of the instance created over REST").isPositive();
        // the first poll stores the cursor; the next one reads events after it
        await("first poll stored the cursor").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> egnyte.requestsTo("/pubapi/v1/events").stream().anyMatch(r -> r.queryParam("id") != null));

        CALLBACKS.forEach(path -> sink.delay(path, SINK_DELAY_MS));
        sink.failNext("/hooks/c", FAILING_POSTS, 500);
        long first = egnyte.latestEventId() + 1;
        long last = egnyte.addEvents(BURST);
        Set<String> expected = LongStream.rangeClosed(first, last).mapToObj(Long::toString)
                .collect(Collectors.toCollection(HashSet::new));
        int allDeliveries = CALLBACKS.size() * (BURST / 10);

        await("deliveries under way").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> delivered().size() >= allDeliveries / 6);
        long pid = bridge.pid();
        int deliveredBeforeKill = delivered().size();
        kill();
        Instant killedAt = Instant.now();
        assertThat(bridge.exitValue()).as("bridge pid %d was killed by SIGKILL (exit 128 + 9)", pid).isEqualTo(137);
        assertThat(everyCallbackHasAll(expected)).as("the kill came before everything was delivered").isFalse();
        LOG.info("Killed the bridge (pid {}) after {} of {} deliveries", pid, deliveredBeforeKill, allDeliveries);

        bridge = start(2);
        await("every event at every callback after the restart").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> everyCallbackHasAll(expected));

        Map<String, Integer> duplicatesPerCallback = new LinkedHashMap<>();
        Map<String, Set<String>> eventIdsOfObject = new HashMap<>();
        for (String path : CALLBACKS) {
            Map<String, List<String>> bodiesByEventId = new HashMap<>();
            Map<String, List<Instant>> timesByEventId = new HashMap<>();
            for (CallbackSink.Received r : sink.received(path)) {
                if (r.status() >= 300) {
                    continue; // a refused attempt; its retry is what counts
                }
                assertThat(r.signature()).as("signature of a notification to %s", path)
                        .isEqualTo(CallbackSink.SignatureStatus.VALID);
                JsonNode message = JSON.readTree(r.body()).path("message");
                String eventId = message.path("eventId").asText();
                assertThat(r.header("Elements-Webhook-Id")).as("Elements-Webhook-Id").isEqualTo(eventId);
                bodiesByEventId.computeIfAbsent(eventId, k -> new ArrayList<>()).add(r.body());
                timesByEventId.computeIfAbsent(eventId, k -> new ArrayList<>()).add(r.receivedAt());
                message.path("events").forEach(e -> eventIdsOfObject
                        .computeIfAbsent(e.path("objectId").asText(), k -> new TreeSet<>()).add(eventId));
            }
            assertThat(objectIds(path)).as("events received at %s", path).containsAll(expected);
            int duplicated = 0;
            for (List<String> copies : bodiesByEventId.values()) {
                if (copies.size() > 1) {
                    duplicated++;
                    String id = JSON.readTree(copies.get(0)).path("message").path("eventId").asText();
                    List<Instant> times = timesByEventId.get(id);
                    LOG.info("Duplicate at {}: eventId {} received at {} ms from the kill", path, id,
                            times.stream().map(t -> Duration.between(killedAt, t).toMillis()).toList());
                    // a copy sent again before its lease could have run out means the claim was lost: the database
                    // forgot a commit (load only makes the gap longer, never shorter)
                    assertThat(Duration.between(times.get(0), times.get(1)))
                            .as("eventId %s at %s was sent again before its lease ran out", id, path)
                            .isGreaterThanOrEqualTo(MIN_RESEND_GAP);
                    assertThat(Set.copyOf(copies)).as("every copy of a notification is the stored body").hasSize(1);
                }
            }
            duplicatesPerCallback.put(path, duplicated);
        }
        LOG.info("Duplicated eventIds per callback after the kill: {} (bound {})", duplicatesPerCallback, DUPLICATE_BOUND);

        Map<String, Set<String>> repolled = eventIdsOfObject.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(repolled).as("events delivered under two different eventIds (polled twice)").isEmpty();
        assertThat(eventIdsOfObject.keySet()).as("no event that was never added").isEqualTo(expected);
        duplicatesPerCallback.forEach((path, n) ->
                assertThat(n).as("duplicated eventIds at %s", path).isLessThanOrEqualTo(DUPLICATE_BOUND));
        // the leases are global: all duplicates together come from the same in-flight deliveries
        assertThat(duplicatesPerCallback.values().stream().mapToInt(Integer::intValue).sum())
                .as("duplicated deliveries over all callbacks").isLessThanOrEqualTo(DUPLICATE_BOUND);
    }

    // --- the bridge as a separate process (the same data folder and port for every run)

    private PackagedBridge start(int run) throws IOException {
        return PackagedBridge.launch("crash-recovery-it", "bridge-run-" + run, port, settings()).awaitServing(ALICE);
    }

    private Map<String, String> settings() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bridge.data-dir", dataDir.toString());
        p.put("bridge.datasource.url", "jdbc:h2:file:" + dataDir.resolve("bridge"));
        p.put("bridge.security.organization-secret", ORG_SECRET);
        p.put("bridge.security.users", "alice=" + ALICE_SECRET);
        p.put("bridge.security.encryption-key", ENCRYPTION_KEY);
        p.put("egnyte.base-url", egnyte.baseUrl());
        p.put("bridge.poller.min-interval-seconds", "1");
        // polls a second, which the daily call budget would space 86 s apart
        p.put("egnyte.rate-limit.calls-per-day", "0");
        p.put("bridge.callbacks.allow-private-addresses", "true");
        p.put("bridge.delivery.max-in-flight", String.valueOf(MAX_CONCURRENCY));
        p.put("bridge.delivery.batch-size", String.valueOf(BATCH_SIZE));
        p.put("bridge.delivery.timeout-ms", String.valueOf(TIMEOUT_MS));
        p.put("bridge.delivery.lease-seconds", String.valueOf(LEASE_SECONDS));
        p.put("bridge.delivery.retry-schedule", "1s,2s,2s,2s,2s,2s,2s,2s,2s,2s");
        p.put("bridge.delivery.retry-jitter", "0");
        // the three callbacks share the sink's host, and /hooks/c fails on purpose: it must not open the circuit of
        // the healthy ones (circuits are EndpointIsolationTest's subject)
        p.put("bridge.delivery.circuit.failures", "1000");
        return p;
    }

    /** SIGKILL: the exit value 137 confirms it. */
    private void kill() throws InterruptedException {
        if (bridge != null) {
            bridge.kill();
        }
    }

    /** Creates the instance over REST with the seed's body: events polled every second, three signed callbacks. */
    private long createInstance() throws Exception {
        var body = JSON.createObjectNode();
        body.putObject("element").put("key", "egnyte");
        body.putObject("providerData").put("code", "it-code-1");
        var configuration = body.putObject("configuration");
        configuration.put("oauth.callback.url", "https://myapp.example.com/oauth/callback");
        configuration.put("oauth.api.key", "it-consumer-key");
        configuration.put("oauth.api.secret", API_SECRET);
        configuration.put("subdomain", "acme");
        configuration.put("event.notification.enabled", true);
        configuration.put("event.notification.callback.url",
                CALLBACKS.stream().map(sink::url).collect(Collectors.joining(",")));
        configuration.put("event.notification.signature.key", SIGNATURE_KEY);
        configuration.put("event.poller.refresh_interval", "0.0167");
        configuration.putObject("event.poller.configuration").set("events", ResourceConfig.seedEventsResource());
        body.putArray("tags").add("Crash");
        body.put("name", "Crash_Recovery");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/instances"))
                .header("Authorization", ALICE).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("id").asLong();
    }

    // --- what the callbacks received

    /** Every notification a callback accepted (2xx), all callbacks together. */
    private List<CallbackSink.Received> delivered() {
        return sink.allReceived().stream().filter(r -> r.status() < 300).toList();
    }

    private Set<String> objectIds(String path) {
        Set<String> ids = new HashSet<>();
        for (CallbackSink.Received r : sink.received(path)) {
            if (r.status() < 300) {
                try {
                    JSON.readTree(r.body()).path("message").path("events")
                            .forEach(e -> ids.add(e.path("objectId").asText()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return ids;
    }

    private boolean everyCallbackHasAll(Set<String> expected) {
        return CALLBACKS.stream().allMatch(path -> objectIds(path).containsAll(expected));
    }

    private String baseUrl() {
        return bridge.baseUrl();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("bridge-crash-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
