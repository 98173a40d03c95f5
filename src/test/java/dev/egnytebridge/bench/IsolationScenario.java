package dev.egnytebridge.bench;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static dev.egnytebridge.bench.BenchFigures.fmt;
import static dev.egnytebridge.bench.BenchFigures.percentile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 5, isolation: one instance whose callback is a healthy receiver, and black-hole endpoints (each its own port,
 * so its own endpoint: accept the TCP connection, never answer) with one instance each, all in the out-of-process
 * fakes. Bursts of events in the fake Egnyte are read by every instance; the figure is the healthy endpoint's latency
 * from stored ({@code notification.created_at}, written when the poll stores the notification) to received (its
 * arrival at the receiver, epoch clock of the same machine). Side by side in the same run: the same healthy instance
 * and bursts before any black hole exists.
 */
abstract class IsolationScenario extends OutOfProcessBridgeScenario {

    static final String KEY = "bench-isolation-key-0123456789";

    /** One phase's figures: latencies in ms of what arrived, how many were stored and how many arrived in time. */
    record Phase(List<Double> latenciesMs, int stored, int received) {
        int missing() {
            return stored - received;
        }
    }

    private Phase alone;
    private Phase withBlackHoles;
    private long blackHoleConnections;
    private String settings = "";

    @Override
    protected void scenarioProperties(Properties p) {
        // polled every second: each burst is read within about a second
        p.setProperty("bridge.poller.min-interval-seconds", "1");
    }

    @Test
    void healthyEndpointIsNotStalledByBlackHoles() throws Exception {
        BenchScale.Isolation s = scale().isolation();
        settings = "`bridge.delivery.max-in-flight` " + property("bridge.delivery.max-in-flight")
                + ", `bridge.delivery.max-in-flight-per-endpoint` " + property("bridge.delivery.max-in-flight-per-endpoint")
                + ", `bridge.delivery.circuit.failures` " + property("bridge.delivery.circuit.failures")
                + ", `bridge.delivery.timeout-ms` " + property("bridge.delivery.timeout-ms");
        int healthy = fakes.receiver(0, KEY);
        fakes.recordTimes(healthy, true);
        Created instance = createInstance("healthy", OutOfProcessFakes.url(healthy, "/hook"), KEY, "0.0167");
        awaitPolling(List.of(instance.token()));
        // warm-up burst, not counted
        fakes.addEvents(s.burstEvents());
        assertThat(fakes.await(Duration.ofSeconds(60), Map.of(healthy, (long) Math.max(1, s.burstEvents() / 10)))).isTrue();

        alone = bursts(instance.id(), healthy);

        List<String> tokens = new ArrayList<>();
        List<Integer> holes = new ArrayList<>();
        for (int i = 0; i < s.blackHoles(); i++) {
            int hole = fakes.blackHole();
            holes.add(hole);
            tokens.add(createInstance("black-hole-" + i, OutOfProcessFakes.url(hole, "/hook"), KEY, "0.0167").token());
        }
        awaitPolling(tokens);
        withBlackHoles = bursts(instance.id(), healthy);
        for (int hole : holes) {
            blackHoleConnections += fakes.blackHoleConnections(hole);
        }
        assertThat(alone.received()).as("the harness works: the healthy endpoint alone gets its notifications").isPositive();
        assertThat(withBlackHoles.stored()).isPositive();
    }

    /** Every instance has had its cursor answered and polled again: new events will be read. */
    private void awaitPolling(List<String> tokens) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> tokens.stream().allMatch(t -> fakes.calls(t) >= 2));
    }

    /** The measured bursts; returns the healthy endpoint's latencies (stored to received). */
    private Phase bursts(long healthyId, int healthy) throws Exception {
        BenchScale.Isolation s = scale().isolation();
        fakes.reset(healthy);
        Timestamp start = new Timestamp(System.currentTimeMillis());
        long perBurst = Math.max(1, s.burstEvents() / 10);
        for (int b = 0; b < s.bursts(); b++) {
            fakes.addEvents(s.burstEvents());
            if (b < s.bursts() - 1) {
                Thread.sleep(s.spacingSeconds() * 1000L); // pacing of the bursts
            }
        }
        fakes.await(Duration.ofSeconds(s.waitSeconds()), Map.of(healthy, perBurst * s.bursts()));
        Map<String, Long> received = fakes.times(healthy);
        Map<String, Long> stored = new HashMap<>();
        jdbc().query("SELECT event_id, created_at FROM notification WHERE instance_id = ? AND created_at >= ?",
                rs -> {
                    stored.put(rs.getString(1), rs.getTimestamp(2).getTime());
                }, healthyId, start);
        List<Double> latencies = new ArrayList<>();
        int arrived = 0;
        for (Map.Entry<String, Long> e : stored.entrySet()) {
            Long at = received.get(e.getKey());
            if (at != null) {
                arrived++;
                latencies.add(at / 1000.0 - e.getValue());
            } else {
                latencies.add(Double.POSITIVE_INFINITY);
            }
        }
        return new Phase(latencies, stored.size(), arrived);
    }

    @AfterAll
    void publish() {
        if (alone == null || withBlackHoles == null) {
            return;
        }
        BenchScale.Isolation s = scale().isolation();
        double p99 = percentile(withBlackHoles.latenciesMs(), 99);
        StringBuilder md = new StringBuilder();
        md.append("## 5. Isolation: ").append(s.blackHoles()).append(" black-hole endpoints next to 1 healthy endpoint\n\n");
        md.append("Instances created over the REST API, polled every second. ").append(s.blackHoles())
                .append(" black holes (each on its own port, so its own endpoint; they accept the TCP connection and never "
                        + "answer) with one instance each, and one instance whose callback is a healthy receiver; all receivers in "
                        + "the out-of-process fakes. ").append(s.bursts()).append(" bursts of ").append(s.burstEvents())
                .append(" events, ").append(s.spacingSeconds()).append(" s apart, read by every instance (")
                .append(Math.max(1, s.burstEvents() / 10)).append(" notifications per instance and burst); then up to ")
                .append(s.waitSeconds()).append(" s for the healthy endpoint's last notification. Latency: from the notification "
                        + "stored (`notification.created_at`) to its arrival at the healthy receiver; a notification that did not "
                        + "arrive in time counts as infinitely late. Baseline, same run, same bridge: the same healthy instance and "
                        + "bursts before any black hole existed (after one warm-up burst). Delivery settings as resolved: ")
                .append(settings).append(BenchFigures.unsetNote(settings)).append(".").append(BenchScale.overridesNote()).append("\n\n");
        md.append("| figure | with ").append(s.blackHoles()).append(" black holes | healthy endpoint alone |\n| --- | --- | --- |\n");
        md.append("| latency p50 / p99 / max (ms) | ").append(latencies(withBlackHoles)).append(" | ").append(latencies(alone)).append(" |\n");
        md.append("| latency of those that arrived in time p50 / max (ms) | ").append(arrived(withBlackHoles)).append(" | ")
                .append(arrived(alone)).append(" |\n");
        md.append("| notifications stored / received in time | ").append(withBlackHoles.stored()).append(" / ")
                .append(withBlackHoles.received()).append(" | ").append(alone.stored()).append(" / ").append(alone.received()).append(" |\n");
        md.append("\nConnections the black holes accepted: ").append(blackHoleConnections).append(". **Target p99 < 2,000 ms with the "
                + "black holes: ").append(p99 < 2000 ? "met" : "MISSED").append("**.\n");
        BenchResults.publish(scale(), "5-isolation.md", md.toString());
    }

    private String latencies(Phase phase) {
        List<Double> l = phase.latenciesMs();
        return ms(percentile(l, 50)) + " / " + ms(percentile(l, 99)) + " / " + ms(BenchFigures.max(l));
    }

    private String arrived(Phase phase) {
        List<Double> l = phase.latenciesMs().stream().filter(Double::isFinite).toList();
        return l.isEmpty() ? "none arrived" : ms(percentile(l, 50)) + " / " + ms(BenchFigures.max(l));
    }

    private String ms(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return Double.isInfinite(v) ? "not received within " + scale().isolation().waitSeconds() + " s" : fmt(v, 0);
    }
}
