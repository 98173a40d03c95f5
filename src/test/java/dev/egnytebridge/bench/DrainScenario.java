package dev.egnytebridge.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

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
 * Scenarios 1 and 2: one instance drains a backlog (2 callbacks on two receivers, so two endpoints; signatures on; H2
 * idempotent repository), end to end from the moment the events exist to the last notification received; side by side
 * with {@link BaselineDrain}; then again with a large idempotent repository. The fake Egnyte and the receivers run in
 * their own process ({@link OutOfProcessFakes}), so the measured JVM holds only the bridge (or the baseline loop) and
 * the harness, and the CPU figures are theirs alone. Runs of the bridge and the baseline alternate, so both see the
 * same noise.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DrainScenario extends OutOfProcessBridgeScenario {

    static final String KEY = "bench-signature-key-0123456789";

    private int receiverA;
    private int receiverB;

    private final List<Double> bridgeRate = new ArrayList<>();
    private final List<Double> bridgeCpu = new ArrayList<>();
    private final List<Double> bridgeFakesCpu = new ArrayList<>();
    private final List<Double> baselineRate = new ArrayList<>();
    private final List<Double> baselineCpu = new ArrayList<>();
    private final List<Double> baselineFakesCpu = new ArrayList<>();
    private final List<Double> ratios = new ArrayList<>();
    private final List<Double> cpuRatios = new ArrayList<>();
    private final List<Double> seededRate = new ArrayList<>();
    /** Seconds from the events' arrival at the fake to the bridge's first and last notification stored (its polls). */
    private final List<Double> firstStored = new ArrayList<>();
    private final List<Double> lastStored = new ArrayList<>();
    private final List<Double> lastReceived = new ArrayList<>();
    private final List<Double> seededCpu = new ArrayList<>();
    /** The bridge's delivery settings in this run, as resolved (for the report; "n/a" where this build has none). */
    private String perEndpoint = "?";
    private String maxInFlight = "?";
    private int baselinePerEndpoint = 10;
    private long seeded;
    private double seedSeconds;

    @Override
    protected void scenarioProperties(Properties p) {
        // polled every second, so the drain starts within a second of the events appearing
        p.setProperty("bridge.poller.min-interval-seconds", "1");
        // the bridge's own per-token limit (default 2 calls/s, Egnyte's) would make this a test of the limiter
        p.setProperty("egnyte.rate-limit.qps", "1000000");
    }

    @Test
    @Order(1)
    void drainsBacklogSideBySideWithPlainJavaBaseline() throws Exception {
        int events = scale().drainEvents();
        perEndpoint = property("bridge.delivery.max-in-flight-per-endpoint");
        maxInFlight = property("bridge.delivery.max-in-flight");
        baselinePerEndpoint = perEndpoint.matches("[0-9]+") ? Integer.parseInt(perEndpoint) : 10;
        // warm-up of both (JIT, connection pools), not counted: the bridge's per-page code runs once a page, so one
        // short drain left much of it to be compiled during the measured runs
        for (int run = 0; run < scale().drainWarmupRuns(); run++) {
            runBaseline(events);
            runBridge(events);
        }
        for (int run = 0; run < scale().runs(); run++) {
            double[] base = runBaseline(events);
            double[] bridge = runBridge(events);
            baselineRate.add(base[0]);
            baselineCpu.add(base[1]);
            baselineFakesCpu.add(base[2]);
            bridgeRate.add(bridge[0]);
            double[] times = storedTimes.get(storedTimes.size() - 1);
            firstStored.add(times[0]);
            lastStored.add(times[1]);
            lastReceived.add(times[2]);
            bridgeCpu.add(bridge[1]);
            bridgeFakesCpu.add(bridge[2]);
            ratios.add(bridge[0] / base[0]);
            cpuRatios.add(bridge[1] / base[1]);
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
        if (bridgeRate.isEmpty()) {
            return;
        }
        StringBuilder md = new StringBuilder();
        int events = scale().drainEvents();
        md.append("## 1. Drain: ").append(String.format("%,d", events)).append(" events, 2 callbacks, signatures on, H2\n\n");
        md.append("One instance (created over the REST API), backlog added to the fake Egnyte at once; timed from then to the "
                + "last notification received (the poll interval is 1 s, so up to 1 s of the bridge's time is waiting for its "
                + "next poll). Notifications of 10 events: ").append(events / 10).append(" per callback, ").append(events / 5)
                .append(" POSTs per run; the two callbacks are two receivers on two ports, so two endpoints (origins); every "
                + "signature checked by the receiver. **The fake Egnyte and the receivers run in a separate JVM** (`BenchFakesMain`, "
                + "started by the harness), so the measured process holds only the bridge (or the baseline loop) and the harness: "
                + "the CPU figures are that process's own (`OperatingSystemMXBean` process CPU time). `egnyte.rate-limit.qps` is "
                + "set to 1,000,000 for this scenario (its default, 2 calls/s per token, would cap the drain at 200 events/s); every "
                + "other setting is the default, as resolved in this run: `bridge.delivery.max-in-flight-per-endpoint` ")
                .append(perEndpoint).append(", `bridge.delivery.max-in-flight` ").append(maxInFlight)
                .append(". Baseline: a plain Java loop (`BaselineDrain`) with the JDK "
                + "HttpClient that reads the same pages from the same fake, builds the same notifications (10 events, the same "
                + "JSON shape) and signs them the same way, POSTing beside the reading with at most ").append(baselinePerEndpoint)
                .append(" POSTs in flight per receiver (as many threads per receiver, each with the blocking send: the "
                + "asynchronous one starts a thread per request on a 2-core machine) (the bridge's per-endpoint cap; ").append(2 * baselinePerEndpoint)
                .append(" in all, which is also the old engine's 20 delivery threads); no Camel, no database, no deduplication. "
                + "First ").append(scale().drainWarmupRuns()).append(" untimed warm-up drain(s) of the same backlog by each side "
                + "(`bench.drain.warmup-runs`; until 2026-12-02 one drain of a tenth of it).").append(BenchScale.overridesNote()).append("\n\n");
        md.append("| figure | bridge | baseline |\n| --- | --- | --- |\n");
        md.append("| events/s | ").append(summary(bridgeRate, 0)).append(" | ").append(summary(baselineRate, 0)).append(" |\n");
        md.append("| CPU-seconds per 1,000 events (measured JVM) | ").append(summary(bridgeCpu, 3)).append(" | ")
                .append(summary(baselineCpu, 3)).append(" |\n");
        md.append("| CPU-seconds per 1,000 events of the fakes process (not in the figure above) | ").append(summary(bridgeFakesCpu, 3))
                .append(" | ").append(summary(baselineFakesCpu, 3)).append(" |\n");
        md.append("| the bridge's first / last notification stored (its polls), s after the events were added | ")
                .append(summary(firstStored, 2)).append(" / ").append(summary(lastStored, 2)).append(" | |\n");
        md.append("| last notification received, s after the events were added | ").append(summary(lastReceived, 2))
                .append(" | |\n");
        md.append("\nWhen the last notification is stored only a moment before it is received, the bridge's polls (read a page, "
                + "drop repeats, store notifications and deliveries, move the cursor, one transaction per page of 100 events) "
                + "set the pace, not the delivery.\n");
        double ratio = median(ratios);
        double cpuRatio = median(cpuRatios);
        md.append("\nThroughput bridge/baseline (per run pair): ").append(summary(ratios, 2)).append(". **Target ≥ 0.8: ")
                .append(ratio >= 0.8 ? "met" : "MISSED").append("**.\n\n");
        md.append("CPU per 1,000 events bridge/baseline (per run pair): ").append(summary(cpuRatios, 2))
                .append(". **Target ≤ 2: ").append(cpuRatio <= 2 ? "met" : "MISSED").append("**.\n\n");
        md.append("## 2. Drain with a large idempotent repository\n\n");
        md.append("Keys put in CAMEL_MESSAGEPROCESSED by batched JDBC before the drain: **").append(String.format("%,d", seeded))
                .append("** (asked: ").append(String.format("%,d", scale().seedKeys())).append("; took ").append(fmt(seedSeconds, 0))
                .append(" s").append(seeded < scale().seedKeys() ? ", stopped at the time limit bench.seed.seconds" : "")
                .append("). Same drain as scenario 1, same run.\n\n");
        md.append("| figure | large store | empty store (scenario 1) |\n| --- | --- | --- |\n");
        md.append("| events/s | ").append(summary(seededRate, 0)).append(" | ").append(summary(bridgeRate, 0)).append(" |\n");
        md.append("| CPU-seconds per 1,000 events | ").append(summary(seededCpu, 3)).append(" | ").append(summary(bridgeCpu, 3)).append(" |\n");
        if (!seededRate.isEmpty()) {
            double storeRatio = median(seededRate) / median(bridgeRate);
            md.append("\nRatio large/empty (medians): ").append(fmt(storeRatio, 2)).append(". **Target ≥ 0.8: ")
                    .append(storeRatio >= 0.8 ? "met" : "MISSED").append("**.\n");
        }
        BenchResults.publish(scale(), "1-drain.md", md.toString());
    }

    /** The two receivers (two ports, so two endpoints), started on first use. */
    private void ensureReceivers() {
        if (receiverA == 0) {
            receiverA = fakes.receiver(0, KEY);
            receiverB = fakes.receiver(0, KEY);
        }
    }

    /** One drain by the bridge; returns {events/s, CPU-seconds per 1,000 events, fakes' CPU-seconds per 1,000 events}. */
    private double[] runBridge(int events) throws Exception {
        ensureReceivers();
        Created instance = createInstance("drain", OutOfProcessFakes.url(receiverA, "/a") + ","
                + OutOfProcessFakes.url(receiverB, "/b"), KEY, "0.0167");
        // the cursor call was answered and a later poll came: the cursor is stored, new events will be read
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> fakes.calls(instance.token()) >= 2);
        fakes.reset(receiverA);
        fakes.reset(receiverB);
        long expected = events / 10;
        long fakes0 = fakes.cpuNanos();
        long cpu0 = BenchFigures.processCpuNanos();
        long t0 = BenchReceiver.nowMicros();
        fakes.addEvents(events);
        boolean met = fakes.await(Duration.ofSeconds(Math.max(120, events / 100)), Map.of(receiverA, expected, receiverB, expected));
        long cpu1 = BenchFigures.processCpuNanos();
        long fakes1 = fakes.cpuNanos();
        assertThat(met).as("every notification received in time").isTrue();
        OutOfProcessFakes.Stats a = fakes.stats(receiverA);
        OutOfProcessFakes.Stats b = fakes.stats(receiverB);
        long t1 = Math.max(a.lastMicros(), b.lastMicros());
        // every delivery recorded as delivered, nothing more sent, every signature valid
        JdbcTemplate jdbc = jdbc();
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM delivery WHERE instance_id = ? AND status = 'DELIVERED'", Long.class, instance.id()) == 2 * expected);
        assertThat(fakes.stats(receiverA).count()).isEqualTo(expected);
        assertThat(fakes.stats(receiverB).count()).isEqualTo(expected);
        assertThat(a.invalid() + b.invalid()).isZero();
        Map<String, Object> stored = jdbc.queryForMap("SELECT MIN(created_at) AS first_at, MAX(created_at) AS last_at "
                + "FROM notification WHERE instance_id = ?", instance.id());
        storedTimes.add(new double[] {secondsSince(t0, stored.get("first_at")), secondsSince(t0, stored.get("last_at")),
                (t1 - t0) / 1e6});
        deleteInstance(instance.id());
        double seconds = (t1 - t0) / 1e6;
        return new double[] {events / seconds, (cpu1 - cpu0) / 1e9 / (events / 1000.0), (fakes1 - fakes0) / 1e9 / (events / 1000.0)};
    }

    /** Stored times of the last bridge run: {first stored, last stored, last received}, seconds after t0. */
    private final List<double[]> storedTimes = new ArrayList<>();

    private static double secondsSince(long t0Micros, Object timestamp) {
        return (((java.sql.Timestamp) timestamp).toInstant().toEpochMilli() * 1000 - t0Micros) / 1e6;
    }

    private double[] runBaseline(int events) throws Exception {
        ensureReceivers();
        fakes.reset(receiverA);
        fakes.reset(receiverB);
        String token = "baseline-token-" + System.nanoTime();
        fakes.registerToken(token);
        long cursor = fakes.latestEventId();
        long fakes0 = fakes.cpuNanos();
        long cpu0 = BenchFigures.processCpuNanos();
        long t0 = BenchReceiver.nowMicros();
        fakes.addEvents(events);
        int notifications = new BaselineDrain().drain(fakes.egnyteBaseUrl(), token, cursor,
                List.of(OutOfProcessFakes.url(receiverA, "/a"), OutOfProcessFakes.url(receiverB, "/b")), KEY, baselinePerEndpoint);
        long cpu1 = BenchFigures.processCpuNanos();
        long fakes1 = fakes.cpuNanos();
        OutOfProcessFakes.Stats a = fakes.stats(receiverA);
        OutOfProcessFakes.Stats b = fakes.stats(receiverB);
        long t1 = Math.max(a.lastMicros(), b.lastMicros());
        assertThat(notifications).isEqualTo(events / 10);
        assertThat(a.count()).isEqualTo(events / 10);
        assertThat(b.count()).isEqualTo(events / 10);
        assertThat(a.invalid() + b.invalid()).isZero();
        double seconds = (t1 - t0) / 1e6;
        return new double[] {events / seconds, (cpu1 - cpu0) / 1e9 / (events / 1000.0), (fakes1 - fakes0) / 1e9 / (events / 1000.0)};
    }

    /** Puts keys of 10,000 other (made-up) instances into the repository with batched JDBC, within the time given. */
    private void seedKeys(long keys, Duration limit) throws Exception {
        DataSource dataSource = dataSource();
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

    private DataSource dataSource() {
        return context.getRegistry().lookupByNameAndType("bridgeDataSource", DataSource.class);
    }
}
