package dev.egnytebridge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.delivery.Notification;
import dev.egnytebridge.delivery.NotificationFactory;
import dev.egnytebridge.delivery.Outbox;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.poller.PolledObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.egnytebridge.bench.BenchFigures.fmt;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 6, slow receivers: endpoints (each a receiver on its own port in the out-of-process fakes) that answer
 * every POST after a delay (1 s), one instance each; the notifications go straight into the outbox (the {@code outbox}
 * bean's enqueue, in one transaction, interleaved across the instances, as the poller would store them) so that the
 * figure is delivery alone. Timed from the commit to the last notification's arrival: notifications/s, the measured
 * JVM's CPU and its resident memory (VmRSS).
 */
abstract class SlowReceiversScenario extends OutOfProcessBridgeScenario {

    static final String KEY = "bench-slow-key-0123456789";

    private int perEndpoint;
    private long delivered;
    private long expected;
    private double seconds;
    private double cpuSeconds;
    private long rssMax;
    private long rssEnd;
    private double enqueueSeconds;
    private boolean complete;
    private String fakesCpu = "n/a";
    private long invalid;
    private final List<Integer> maxInFlight = new ArrayList<>();
    private String settings = "";

    @Override
    protected void scenarioProperties(Properties p) {
        // nothing polled in this scenario: the instances are never due while it runs (15-minute interval)
    }

    @Test
    void deliversToSlowReceivers() throws Exception {
        BenchScale.Slow s = scale().slow();
        settings = "`bridge.delivery.max-in-flight` " + property("bridge.delivery.max-in-flight")
                + ", `bridge.delivery.max-in-flight-per-endpoint` " + property("bridge.delivery.max-in-flight-per-endpoint")
                + ", `bridge.delivery.timeout-ms` " + property("bridge.delivery.timeout-ms");
        perEndpoint = Math.max(1, s.notifications() / s.endpoints());
        expected = (long) perEndpoint * s.endpoints();
        InstanceStore store = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
        List<Integer> ports = new ArrayList<>();
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < s.endpoints(); i++) {
            int port = fakes.receiver(s.delayMs(), KEY);
            ports.add(port);
            Created created = createInstance("slow-" + i, OutOfProcessFakes.url(port, "/hook"), KEY, "15");
            instances.add(store.find(created.id()).orElseThrow());
        }
        long e0 = System.nanoTime();
        enqueue(instances, ports);
        enqueueSeconds = (System.nanoTime() - e0) / 1e9;

        long fakes0 = fakes.cpuNanos();
        long cpu0 = BenchFigures.processCpuNanos();
        long t0 = BenchReceiver.nowMicros();
        long deadline = System.nanoTime() + s.maxSeconds() * 1_000_000_000L;
        Map<Integer, Long> all = new HashMap<>();
        ports.forEach(p -> all.put(p, (long) perEndpoint));
        while (!complete && System.nanoTime() < deadline) {
            rssMax = Math.max(rssMax, BenchFigures.residentBytes());
            complete = fakes.await(Duration.ofSeconds(1), all);
        }
        long tStop = BenchReceiver.nowMicros();
        long cpu1 = BenchFigures.processCpuNanos();
        fakesCpu = fakesCpu(fakes0, fakes.cpuNanos());
        rssEnd = BenchFigures.residentBytes();
        rssMax = Math.max(rssMax, rssEnd);
        long last = 0;
        for (int port : ports) {
            OutOfProcessFakes.Stats st = fakes.stats(port);
            delivered += st.count();
            invalid += st.invalid();
            last = Math.max(last, st.lastMicros());
            maxInFlight.add(st.maxInFlight());
        }
        seconds = ((complete ? last : tStop) - t0) / 1e6;
        cpuSeconds = (cpu1 - cpu0) / 1e9;
        assertThat(delivered).as("the harness works: notifications arrive").isPositive();
        assertThat(invalid).isZero();
    }

    /** Every notification and its delivery in one transaction, instance after instance in turn (as polls interleave). */
    private void enqueue(List<Instance> instances, List<Integer> ports) {
        Outbox outbox = context.getRegistry().lookupByNameAndType("outbox", Outbox.class);
        NotificationFactory factory = context.getRegistry().lookupByNameAndType("notificationFactory", NotificationFactory.class);
        DataSourceTransactionManager tm = context.getRegistry()
                .lookupByNameAndType("transactionManager", DataSourceTransactionManager.class);
        new TransactionTemplate(tm).executeWithoutResult(tx -> {
            long objectId = 1;
            for (int j = 0; j < perEndpoint; j++) {
                for (int i = 0; i < instances.size(); i++) {
                    List<PolledObject> batch = new ArrayList<>(10);
                    for (int k = 0; k < 10; k++) {
                        batch.add(polled(objectId++));
                    }
                    Notification n = factory.build(instances.get(i), "events", batch);
                    outbox.enqueue(n, List.of(OutOfProcessFakes.url(ports.get(i), "/hook")));
                }
            }
        });
    }

    private static PolledObject polled(long id) {
        ObjectNode raw = JSON.createObjectNode().put("id", id).put("action", "create")
                .put("target_path", "/Shared/Bench/file-" + id + ".txt").put("timestamp", "2026-11-30T11:41:12.000Z");
        return new PolledObject("events", String.valueOf(id), "CREATED", "2026-11-30T11:41:12Z", raw, "events:" + id);
    }

    @AfterAll
    void publish() {
        if (expected == 0) {
            return;
        }
        BenchScale.Slow s = scale().slow();
        double rate = delivered / seconds;
        StringBuilder md = new StringBuilder();
        md.append("## 6. Slow receivers: ").append(s.endpoints()).append(" endpoints answering after ").append(s.delayMs())
                .append(" ms, ").append(String.format("%,d", expected)).append(" notifications\n\n");
        md.append(s.endpoints()).append(" receivers in the out-of-process fakes, each on its own port (its own endpoint), each "
                + "answering 200 after ").append(s.delayMs()).append(" ms without a limit on requests waiting; one instance each "
                + "(created over the REST API). ").append(String.format("%,d", perEndpoint)).append(" notifications of 10 events per "
                + "instance put straight into the outbox with the `outbox` bean's enqueue (one transaction, ")
                .append(fmt(enqueueSeconds, 1)).append(" s, interleaved across the instances) so that this measures delivery "
                + "alone; timed from the commit to the arrival of the last notification (arrival, not the answer a delay later), "
                + "stopped after ").append(s.maxSeconds()).append(" s at most. CPU and resident memory are the measured JVM's "
                + "(bridge and harness; the receivers are in the other process). Delivery settings as resolved: ").append(settings)
                .append(BenchFigures.unsetNote(settings)).append(". With a per-endpoint cap of c "
                + "requests in flight the ceiling is ").append(s.endpoints()).append(" × c / ").append(fmt(s.delayMs() / 1000.0, 1))
                .append(" s per notification (200/s at c = 10); the old engine's 20 threads for the whole node cap it at 20/s.")
                .append(BenchScale.overridesNote()).append("\n\n");
        md.append("| figure | value | target |\n| --- | --- | --- |\n");
        md.append("| notifications received | ").append(String.format("%,d", delivered)).append(" of ").append(String.format("%,d", expected))
                .append(complete ? "" : " (stopped at the time limit)").append(" in ").append(fmt(seconds, 1)).append(" s | |\n");
        md.append("| notifications/s | ").append(fmt(rate, 1)).append(" | ≥ 150: **").append(rate >= 150 ? "met" : "MISSED").append("** |\n");
        md.append("| CPU of the measured JVM | ").append(fmt(cpuSeconds / seconds, 3)).append(" cores; ")
                .append(fmt(cpuSeconds / Math.max(1, delivered) * 1000, 3)).append(" CPU-s per 1,000 notifications | |\n");
        md.append("| CPU of the fakes process in the same time | ").append(fakesCpu).append(" CPU-s | |\n");
        md.append("| resident memory (VmRSS) max / at the end | ").append(rssMax / (1024 * 1024)).append(" / ")
                .append(rssEnd / (1024 * 1024)).append(" MiB (max heap ").append(Runtime.getRuntime().maxMemory() / (1024 * 1024))
                .append(" MiB) | |\n");
        md.append("| most requests waiting at one receiver at once (min–max over the receivers) | ")
                .append(maxInFlight.stream().mapToInt(Integer::intValue).min().orElse(0)).append("–")
                .append(maxInFlight.stream().mapToInt(Integer::intValue).max().orElse(0)).append(" | |\n");
        md.append("| invalid signatures | ").append(invalid).append(" | |\n");
        BenchResults.publish(scale(), "6-slow-receivers.md", md.toString());
    }
}
