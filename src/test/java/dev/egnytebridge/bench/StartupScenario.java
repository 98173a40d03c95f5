package dev.egnytebridge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.instance.InstanceSecrets;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import dev.egnytebridge.sandbox.RecordedRequest;
import dev.egnytebridge.security.SecretCipher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.egnytebridge.bench.BenchFigures.fmt;
import static dev.egnytebridge.bench.BenchFigures.median;
import static dev.egnytebridge.bench.BenchFigures.summary;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 4: the bridge as its own process ({@code java dev.egnytebridge.BridgeMain}, the test classpath, this
 * folder's application.properties and routes/) with instances already stored. Timed from starting the process to the
 * REST API answering an authenticated GET /instances with 200, to the first call reaching the fake Egnyte, and to
 * every stored instance having polled once. The measured runs start with every instance due (the first run: stored,
 * never scheduled; later runs: the stored schedule moved two intervals back, as after a node was down that long);
 * one more run restarts at once and keeps the stored schedule, whose instances are due only on their next beat.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StartupScenario {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EgnyteSimulator egnyte = new EgnyteSimulator().start();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Double> toRest = new ArrayList<>();
    private final List<Double> toFirstPoll = new ArrayList<>();
    private final List<Double> toAllPolled = new ArrayList<>();
    /** The quick restart that keeps the stored schedule: {to REST, to first poll, to every instance polled}. */
    private double[] keptSchedule;
    private Path dataDir;

    protected abstract BenchScale scale();

    @AfterAll
    void closeFakes() {
        egnyte.close();
    }

    @Test
    void startsWithStoredInstances() throws Exception {
        int n = scale().startupInstances();
        dataDir = Files.createTempDirectory("bench-startup");
        seed(n);
        for (int run = 0; run < scale().runs(); run++) {
            if (run > 0) {
                moveScheduleBack(2L * scale().intervalSeconds());
            }
            double[] t = startOnce("bench-startup-" + run + ".log", n);
            toRest.add(t[0]);
            toFirstPoll.add(t[1]);
            toAllPolled.add(t[2]);
        }
        keptSchedule = startOnce("bench-startup-kept-schedule.log", n);
        assertThat(toRest).allMatch(s -> s > 0);
        assertThat(toFirstPoll).allMatch(s -> s > 0);
    }

    @AfterAll
    void publish() {
        if (toRest.isEmpty()) {
            return;
        }
        double rest = median(toRest);
        double first = median(toFirstPoll);
        String md = "## 4. Start-up with " + String.format("%,d", scale().startupInstances()) + " stored instances\n\n"
                + "A new process each run (`java -cp <test classpath> dev.egnytebridge.BridgeMain`, H2 file database holding the "
                + "instances, events on, " + scale().intervalSeconds() + " s interval), timed from starting the process. Each run "
                + "is a restart of the same database (from the second run on, each instance has a stored cursor and a stored "
                + "place in the poll schedule). Every instance is due when a measured run starts: in the first, the instances "
                + "were stored without a schedule (pollerScheduler.scheduleAll makes them due at start); before each later "
                + "one, the harness moves every stored `next_poll_at` two intervals back, the state a node finds after being "
                + "down that long.\n\n"
                + "| figure | seconds | target |\n| --- | --- | --- |\n"
                + "| to REST API ready (GET /instances answers 200) | " + summary(toRest, 2) + " | < 5 s: **"
                + (rest < 5 ? "met" : "MISSED") + "** |\n"
                + "| to first poll (first call reaching Egnyte) | " + summary(toFirstPoll, 2) + " | < 5 s: **"
                + (first < 5 ? "met" : "MISSED") + "** |\n"
                + "| to every instance polled once | " + summary(toAllPolled, 2) + " | |\n"
                + (keptSchedule == null ? "" : "\nOne more restart at once after the last run, keeping the stored schedule "
                + "(no instance due yet: each was polled in the previous run and is due on its next beat, one interval after "
                + "that poll): REST API ready after " + fmt(keptSchedule[0], 2) + " s, first poll after "
                + fmt(keptSchedule[1], 2) + " s, every instance polled once after " + fmt(keptSchedule[2], 2) + " s. "
                + "A restart does not poll an instance before its beat.\n");
        BenchResults.publish(scale(), "4-startup.md", md);
    }

    /** Starts the bridge once and returns {to REST ready, to first poll, to every instance polled once} in seconds. */
    private double[] startOnce(String logName, int n) throws Exception {
        egnyte.clearRequests();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("egnyte.base-url", egnyte.baseUrl());
        settings.put("bridge.callbacks.allow-private-addresses", "true");
        settings.put("bridge.poller.min-interval-seconds", String.valueOf(scale().intervalSeconds()));
        // the engine at the scale's interval, not the daily call budget's spacing
        settings.put("egnyte.rate-limit.calls-per-day", "0");
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        try (BridgeProcess bridge = BridgeProcess.start(logName, dataDir, settings, List.of())) {
            HttpRequest list = HttpRequest.newBuilder(URI.create(bridge.baseUrl() + "/instances"))
                    .header("Authorization", BridgeTestSupport.ALICE).timeout(Duration.ofSeconds(5)).GET().build();
            long limitSeconds = Math.max(120, 2L * scale().intervalSeconds() + 30);
            long deadline = t0 + TimeUnit.SECONDS.toNanos(limitSeconds);
            Double rest = null;
            Double first = null;
            Double all = null;
            while (System.nanoTime() < deadline && (rest == null || first == null || all == null)) {
                bridge.assertAlive();
                if (rest == null) {
                    try {
                        if (http.send(list, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                            rest = (System.nanoTime() - t0) / 1e9;
                        }
                    } catch (java.io.IOException notYet) {
                        // not listening yet
                    }
                }
                List<RecordedRequest> calls = egnyte.requestsTo("/pubapi/").stream()
                        .filter(r -> !r.receivedAt().isBefore(startedAt)).toList();
                if (first == null && !calls.isEmpty()) {
                    Instant earliest = calls.stream().map(RecordedRequest::receivedAt).min(Instant::compareTo).orElseThrow();
                    first = Duration.between(startedAt, earliest).toNanos() / 1e9;
                }
                if (all == null) {
                    Set<String> tokens = calls.stream().map(r -> r.header("Authorization")).collect(Collectors.toSet());
                    if (tokens.size() >= n) {
                        Instant latest = calls.stream().map(RecordedRequest::receivedAt).max(Instant::compareTo).orElseThrow();
                        all = Duration.between(startedAt, latest).toNanos() / 1e9;
                    }
                }
                Thread.onSpinWait();
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            if (rest == null || first == null || all == null) {
                throw new AssertionError("the bridge did not come up and poll every instance within " + limitSeconds
                        + " s; see " + bridge.log());
            }
            return new double[] {rest, first, all};
        }
    }

    /** Stores n instances with events on, as the REST API would, straight into a fresh database. */
    private void seed(int n) {
        try (HikariDataSource dataSource = database()) {
            dev.egnytebridge.store.Database.migrate(dataSource);
            InstanceStore store = new InstanceStore(new JdbcTemplate(dataSource),
                    SecretCipher.fromBase64(BridgeTestSupport.ENCRYPTION_KEY), JSON);
            for (int i = 0; i < n; i++) {
                ObjectNode configuration = BenchInstances.configuration(i, scale().intervalSeconds());
                String token = "startup-token-" + i;
                egnyte.registerToken(token);
                store.insert("alice", "Startup " + i, "egnyte", "acme" + i, configuration,
                        new InstanceSecrets(token, "api-secret", "key-" + i), List.of("bench"), true, "startup-hash-" + i);
            }
        }
    }

    /** Moves every stored next poll the given seconds back (the bridge is stopped: the file database is ours). */
    private void moveScheduleBack(long seconds) {
        try (HikariDataSource dataSource = database()) {
            new JdbcTemplate(dataSource).update("UPDATE element_instance SET next_poll_at = DATEADD(SECOND, ?, next_poll_at) "
                    + "WHERE next_poll_at IS NOT NULL", -seconds);
        }
    }

    private HikariDataSource database() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dataDir.resolve("bridge"));
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }
}
