package dev.egnytebridge.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceSecrets;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.poller.PollCursors;
import dev.egnytebridge.poller.PollerScheduler;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import dev.egnytebridge.store.SeenObjects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.egnytebridge.bench.BenchFigures.fmt;
import static dev.egnytebridge.bench.BenchFigures.median;
import static dev.egnytebridge.bench.BenchFigures.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenarios 1 and 2: one instance drains a backlog (2 callbacks, signatures on, H2 idempotent repository), end to end
 * from the moment the events exist to the last notification received; side by side with {@link BaselineDrain}; then
 * again with a large idempotent repository. Runs of the bridge and the baseline alternate, so both see the same noise.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DrainScenario extends BridgeTestSupport {

    static final String KEY = "bench-signature-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    protected final EgnyteSimulator egnyte = new EgnyteSimulator().start();
    protected final CountingSink sink = newSink();

    private final List<Double> bridgeRate = new ArrayList<>();
    private final List<Double> bridgeCpu = new ArrayList<>();
    private final List<Double> baselineRate = new ArrayList<>();
    private final List<Double> baselineCpu = new ArrayList<>();
    private final List<Double> ratios = new ArrayList<>();
    private final List<Double> seededRate = new ArrayList<>();
    private final List<Double> seededCpu = new ArrayList<>();
    /** The bridge's delivery settings in this run, as resolved (for the report). */
    private String dispatchIntervalMs = "?";
    private String deliveryThreads = "?";
    private long seeded;
    private double seedSeconds;

    protected abstract BenchScale scale();

    private static CountingSink newSink() {
        try {
            return new CountingSink();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("egnyte.base-url", egnyte.baseUrl());
        // polled every second, so the drain starts within a second of the events appearing
        p.setProperty("bridge.poller.min-interval-seconds", "1");
        // the sink is on loopback
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        // the bridge's own per-token limit (default 2 calls/s, Egnyte's) would make this a test of the limiter
        p.setProperty("egnyte.rate-limit.qps", "1000000");
        BenchScale.bridgeOverrides().forEach(p::setProperty);
        return p;
    }

    @AfterAll
    void closeFakes() {
        egnyte.close();
        sink.close();
    }

    @Test
    @Order(1)
    void drainsBacklogSideBySideWithPlainJavaBaseline() throws Exception {
        int events = scale().drainEvents();
        dispatchIntervalMs = context.resolvePropertyPlaceholders("{{bridge.delivery.dispatch-interval-ms}}");
        deliveryThreads = context.resolvePropertyPlaceholders("{{bridge.delivery.max-concurrency}}");
        // warm-up of both (JIT, connection pools), not counted
        runBaseline(Math.max(100, events / 10));
        runBridge(Math.max(100, events / 10));
        for (int run = 0; run < scale().runs(); run++) {
            double[] base = runBaseline(events);
            double[] bridge = runBridge(events);
            baselineRate.add(base[0]);
            baselineCpu.add(base[1]);
            bridgeRate.add(bridge[0]);
            bridgeCpu.add(bridge[1]);
            ratios.add(bridge[0] / base[0]);
        }
        assertThat(bridgeRate).allMatch(r -> r > 0);
        assertThat(baselineRate).allMatch(r -> r > 0);
    }

    @Test
    @Order(2)
    void drainsBacklogWithLargeIdempotentRepository() throws Exception {
        seedKeys(scale().seedKeys(), Duration.ofSeconds(scale().seedSeconds()));
        JdbcTemplate jdbc = jdbc();
        Long stored = jdbc.queryForObject("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED", Long.class);
        assertThat(stored).isGreaterThanOrEqualTo(seeded);
        for (int run = 0; run < scale().seededRuns(); run++) {
            double[] bridge = runBridge(scale().drainEvents());
            seededRate.add(bridge[0]);
            seededCpu.add(bridge[1]);
        }
        assertThat(seededRate).allMatch(r -> r > 0);
    }

    @AfterAll
    void publish() {
        StringBuilder md = new StringBuilder();
        int events = scale().drainEvents();
        md.append("## 1. Drain: ").append(String.format("%,d", events)).append(" events, 2 callbacks, signatures on, H2\n\n");
        md.append("One instance, backlog added to the fake Egnyte at once; timed from then to the last notification received "
                + "(the poll interval is 1 s, so up to 1 s of the bridge's time is waiting for its next poll). Notifications of "
                + "10 events: ").append(events / 10).append(" per callback, ").append(events / 5).append(" POSTs per run; every "
                + "signature checked by the sink. `egnyte.rate-limit.qps` is set to 1,000,000 for this scenario (its default, 2 "
                + "calls/s per token, would cap the drain at 200 events/s); every other setting is the default "
                + "(`bridge.delivery.dispatch-interval-ms` ").append(dispatchIntervalMs).append(" ms, ").append(deliveryThreads)
                .append(" deliveries in flight, `bridge.poller.threads` and `idle-check-ms` as shipped). Baseline: plain Java loop, JDK HttpClient, same pages, same notification shape and "
                + "signatures, 20 POSTs in flight, no Camel/DB/dedup. CPU is the whole test JVM's (bridge or baseline plus the "
                + "fake Egnyte, the sink and the harness, all in one process), so both figures carry the same fakes. One "
                + "untimed warm-up run of each first.").append(BenchScale.overridesNote()).append("\n\n");
        md.append("| figure | bridge | baseline |\n| --- | --- | --- |\n");
        md.append("| events/s | ").append(summary(bridgeRate, 0)).append(" | ").append(summary(baselineRate, 0)).append(" |\n");
        md.append("| CPU-seconds per 1,000 events | ").append(summary(bridgeCpu, 3)).append(" | ").append(summary(baselineCpu, 3)).append(" |\n");
        double ratio = median(ratios);
        md.append("\nRatio bridge/baseline (per run pair): ").append(summary(ratios, 2)).append(". **Target ≥ 0.5: ")
                .append(ratio >= 0.5 ? "met" : "MISSED").append("**.\n\n");
        md.append("## 2. Drain with a large idempotent repository\n\n");
        md.append("Keys put in CAMEL_MESSAGEPROCESSED by batched JDBC before the drain: **").append(String.format("%,d", seeded))
                .append("** (asked: ").append(String.format("%,d", scale().seedKeys())).append("; took ").append(fmt(seedSeconds, 0))
                .append(" s").append(seeded < scale().seedKeys() ? ", stopped at the time limit bench.seed.seconds" : "")
                .append("). Same drain as scenario 1, same run.\n\n");
        md.append("| figure | large store | empty store (scenario 1) |\n| --- | --- | --- |\n");
        md.append("| events/s | ").append(summary(seededRate, 0)).append(" | ").append(summary(bridgeRate, 0)).append(" |\n");
        md.append("| CPU-seconds per 1,000 events | ").append(summary(seededCpu, 3)).append(" | ").append(summary(bridgeCpu, 3)).append(" |\n");
        double storeRatio = median(seededRate) / median(bridgeRate);
        md.append("\nRatio large/empty (medians): ").append(fmt(storeRatio, 2)).append(". **Target ≥ 0.8: ")
                .append(storeRatio >= 0.8 ? "met" : "MISSED").append("**.\n");
        BenchResults.publish(scale(), "1-drain.md", md.toString());
    }

    /** One drain by the bridge; returns {events/s, CPU-seconds per 1,000 events}. */
    private double[] runBridge(int events) throws Exception {
        sink.reset();
        sink.expectKey(KEY);
        Instance instance = createInstance();
        await().atMost(Duration.ofSeconds(30)).until(() -> cursors().find(instance.id(), "events").isPresent());
        long cpu0 = BenchFigures.processCpuNanos();
        long t0 = System.nanoTime();
        egnyte.addEvents(events);
        long expected = events / 10;
        await().atMost(Duration.ofSeconds(Math.max(120, events / 100))).pollInterval(Duration.ofMillis(20))
                .until(() -> sink.count("/a") >= expected && sink.count("/b") >= expected);
        long t1 = sink.lastReceivedNanos();
        long cpu1 = BenchFigures.processCpuNanos();
        // every delivery recorded as delivered, nothing more sent, every signature valid
        JdbcTemplate jdbc = jdbc();
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM delivery WHERE instance_id = ? AND status = 'DELIVERED'", Long.class, instance.id()) == 2 * expected);
        assertThat(sink.count("/a")).isEqualTo(expected);
        assertThat(sink.count("/b")).isEqualTo(expected);
        assertThat(sink.invalidSignatures()).isZero();
        removeInstance(instance);
        double seconds = (t1 - t0) / 1e9;
        return new double[] {events / seconds, (cpu1 - cpu0) / 1e9 / (events / 1000.0)};
    }

    private double[] runBaseline(int events) throws Exception {
        sink.reset();
        sink.expectKey(KEY);
        String token = "baseline-token-" + System.nanoTime();
        egnyte.registerToken(token);
        long cursor = egnyte.latestEventId();
        long cpu0 = BenchFigures.processCpuNanos();
        long t0 = System.nanoTime();
        egnyte.addEvents(events);
        int notifications = new BaselineDrain().drain(egnyte.baseUrl(), token, cursor,
                List.of(sink.url("/a"), sink.url("/b")), KEY, 20);
        long t1 = sink.lastReceivedNanos();
        long cpu1 = BenchFigures.processCpuNanos();
        assertThat(notifications).isEqualTo(events / 10);
        assertThat(sink.count("/a")).isEqualTo(events / 10);
        assertThat(sink.count("/b")).isEqualTo(events / 10);
        assertThat(sink.invalidSignatures()).isZero();
        double seconds = (t1 - t0) / 1e9;
        return new double[] {events / seconds, (cpu1 - cpu0) / 1e9 / (events / 1000.0)};
    }

    /** Puts keys of 10,000 other (made-up) instances into the repository with batched JDBC, within the time given. */
    private void seedKeys(long keys, Duration limit) throws Exception {
        DataSource dataSource = context.getRegistry().lookupByNameAndType("bridgeDataSource", DataSource.class);
        long deadline = System.nanoTime() + limit.toNanos();
        long start = System.nanoTime();
        int prefixes = 10_000;
        long perPrefix = Math.max(1, keys / prefixes);
        Timestamp now = new Timestamp(System.currentTimeMillis());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?, ?, ?)")) {
                outer:
                for (int p = 0; p < prefixes; p++) {
                    String prefix = (2_000_000 + p) + ":events:";
                    for (long j = 0; j < perPrefix; j++) {
                        insert.setString(1, SeenObjects.PROCESSOR_NAME);
                        insert.setString(2, prefix + (1_000_000_000L + j));
                        insert.setTimestamp(3, now);
                        insert.addBatch();
                        if (++seeded % 10_000 == 0) {
                            insert.executeBatch();
                            c.commit();
                            if (System.nanoTime() > deadline) {
                                break outer;
                            }
                        }
                        if (seeded >= keys) {
                            break outer;
                        }
                    }
                }
                insert.executeBatch();
                c.commit();
            }
        }
        seedSeconds = (System.nanoTime() - start) / 1e9;
    }

    private Instance createInstance() throws Exception {
        ObjectNode configuration = JSON.createObjectNode();
        configuration.put("subdomain", "acme");
        configuration.put("event.notification.enabled", true);
        configuration.put("event.notification.callback.url", sink.url("/a") + "," + sink.url("/b"));
        configuration.put("event.poller.refresh_interval", "0.0167");
        ObjectNode events = JSON.createObjectNode();
        events.put("url", "/hubs/documents/events");
        events.put("idField", "event_object_id");
        ObjectNode poller = JSON.createObjectNode();
        poller.set("events", events);
        configuration.set("event.poller.configuration", poller);
        String accessToken = "bench-token-" + System.nanoTime();
        egnyte.registerToken(accessToken);
        Instance instance = instances().insert("alice", "Bench drain", "egnyte", "acme", configuration,
                new InstanceSecrets(accessToken, "api-secret", KEY), List.of("bench"), true, "hash-" + System.nanoTime());
        scheduler().refresh(instance);
        return instance;
    }

    /** Stops the instance's poller and deletes it with its notifications and keys, as a DELETE does. */
    private void removeInstance(Instance instance) throws Exception {
        scheduler().remove(instance.id());
        instances().delete(instance.id());
    }

    private InstanceStore instances() {
        return context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
    }

    private PollerScheduler scheduler() {
        return context.getRegistry().lookupByNameAndType("pollerScheduler", PollerScheduler.class);
    }

    private PollCursors cursors() {
        return context.getRegistry().lookupByNameAndType("pollCursors", PollCursors.class);
    }

    private JdbcTemplate jdbc() {
        return context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
    }
}
