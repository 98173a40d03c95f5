package dev.egnytebridge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceSecrets;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.poller.PollerScheduler;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import org.apache.camel.main.MainConfigurationProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static dev.egnytebridge.bench.BenchFigures.fmt;
import static dev.egnytebridge.bench.BenchFigures.percentile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 3: many instances on one node, each polled every interval, Egnyte answering 204 (nothing new) to all but
 * each instance's first call. Once every instance has polled, the node is watched for a window: scheduling lag
 * (actual minus planned poll start), polls per second, CPU share, resident memory, missed and overlapping polls.
 */
abstract class ManyInstancesScenario extends BridgeTestSupport {

    protected final EgnyteSimulator egnyte = new EgnyteSimulator().start();
    private String section = "";

    protected abstract BenchScale scale();

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        super.configure(configuration);
        configuration.addConfiguration(ObserverConfiguration.class);
    }

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("egnyte.base-url", egnyte.baseUrl());
        p.setProperty("bridge.poller.min-interval-seconds", String.valueOf(scale().intervalSeconds()));
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        BenchScale.bridgeOverrides().forEach(p::setProperty);
        return p;
    }

    @AfterAll
    void closeFakes() {
        egnyte.close();
    }

    @Test
    void pollsManyInstancesOnTime() throws Exception {
        int n = scale().instances();
        long interval = scale().intervalSeconds() * 1000L;
        PollObserver observer = PollObserver.current();
        long createStart = System.nanoTime();
        List<Long> ids = new ArrayList<>(n);
        Map<Long, Long> scheduledAt = new HashMap<>();
        for (int i = 0; i < n; i++) {
            long id = createInstance(i).id();
            ids.add(id);
            scheduledAt.put(id, System.currentTimeMillis());
        }
        double createSeconds = (System.nanoTime() - createStart) / 1e9;
        // every instance has made its first poll (the one that fetches Egnyte's cursor)
        await().atMost(Duration.ofSeconds(Math.max(120, n / 20))).pollInterval(Duration.ofMillis(200)).until(() -> {
            Set<Long> seen = new HashSet<>();
            observer.polls().forEach(p -> seen.add(p.instanceId()));
            return seen.size() >= n;
        });
        int before = observer.polls().size();
        long overlapsBefore = observer.overlaps();
        long windowStart = System.currentTimeMillis();
        long cpu0 = BenchFigures.processCpuNanos();
        long rssMax = 0;
        long end = windowStart + scale().windowSeconds() * 1000L;
        while (System.currentTimeMillis() < end) {
            rssMax = Math.max(rssMax, BenchFigures.residentBytes());
            await().pollDelay(Duration.ofMillis(Math.min(1000, Math.max(1, end - System.currentTimeMillis()))))
                    .until(() -> true);
        }
        long windowEnd = System.currentTimeMillis();
        long cpu1 = BenchFigures.processCpuNanos();
        rssMax = Math.max(rssMax, BenchFigures.residentBytes());
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory();

        List<PollObserver.Poll> all = observer.polls();
        List<PollObserver.Poll> window = all.subList(before, all.size()).stream()
                .filter(p -> p.startedMs() >= windowStart && p.startedMs() < windowEnd).toList();
        List<Double> lags = window.stream().map(p -> (double) p.lagMs()).toList();
        List<Double> durations = window.stream().map(p -> (double) p.durationMs()).toList();
        long failed = window.stream().filter(PollObserver.Poll::failed).count();
        // missed: a gap of more than one interval between an instance's planned starts (Quartz skipped a fire)
        Map<Long, List<Long>> planned = new HashMap<>();
        for (PollObserver.Poll p : all) {
            planned.computeIfAbsent(p.instanceId(), k -> new ArrayList<>()).add(p.plannedMs());
        }
        long missed = 0;
        for (List<Long> times : planned.values()) {
            List<Long> sorted = times.stream().sorted().toList();
            for (int i = 1; i < sorted.size(); i++) {
                long gap = sorted.get(i) - sorted.get(i - 1);
                if (gap > interval * 3 / 2) {
                    missed += Math.round((double) gap / interval) - 1;
                }
            }
        }
        // first fires Quartz skipped: the first poll came an interval late (camel-quartz's CamelJob drops a fire that
        // comes before the trigger's start time, and logs "Trigger exists outside StartTime")
        long skippedFirst = planned.entrySet().stream().filter(e -> scheduledAt.containsKey(e.getKey())
                && e.getValue().stream().mapToLong(Long::longValue).min().orElse(0) - scheduledAt.get(e.getKey()) > interval / 2)
                .count();
        // instances not polled at all in a window at least one interval long
        long silent = scale().windowSeconds() * 1000L >= interval
                ? ids.stream().filter(id -> window.stream().noneMatch(p -> p.instanceId() == id)).count() : 0;
        double windowSeconds = (windowEnd - windowStart) / 1000.0;
        double cpuCores = (cpu1 - cpu0) / 1e9 / windowSeconds;
        int cores = Runtime.getRuntime().availableProcessors();
        double expected = n * windowSeconds / (interval / 1000.0);
        long overlaps = observer.overlaps() - overlapsBefore;

        double p99 = percentile(lags, 99);
        StringBuilder md = new StringBuilder();
        md.append("## 3. Many instances: ").append(String.format("%,d", n)).append(" instances every ")
                .append(scale().intervalSeconds()).append(" s, polls answered 204\n\n");
        md.append("All instances stored and scheduled through instanceStore.insert + pollerScheduler.refresh (as the REST API "
                + "does) in ").append(fmt(createSeconds, 1)).append(" s; after every instance's first poll (Egnyte's cursor), "
                + "watched for ").append(fmt(windowSeconds, 0)).append(" s. Default settings (Quartz, `egnyte.rate-limit.qps` 2). "
                + "Lag = actual start of the poll minus the start Quartz planned (`scheduledFireTime`). One run (the scenario "
                + "needs minutes per run); spreads are over the ").append(window.size()).append(" polls of the window. Memory "
                + "and CPU are the whole test JVM's (bridge plus fake Egnyte and harness); its maximum heap was ")
                .append(fmt(Runtime.getRuntime().maxMemory() / 1024.0 / 1024.0, 0)).append(" MiB.\n\n");
        md.append("| figure | value | target |\n| --- | --- | --- |\n");
        md.append("| scheduling lag p50 / p99 / max | ").append(fmt(percentile(lags, 50), 0)).append(" / ").append(fmt(p99, 0))
                .append(" / ").append(fmt(BenchFigures.max(lags), 0)).append(" ms | p99 < 2,000 ms: **")
                .append(p99 < 2000 ? "met" : "MISSED").append("** |\n");
        md.append("| poll duration p50 / p99 | ").append(fmt(percentile(durations, 50), 0)).append(" / ")
                .append(fmt(percentile(durations, 99), 0)).append(" ms | |\n");
        md.append("| polls/s | ").append(fmt(window.size() / windowSeconds, 1)).append(" (expected ")
                .append(fmt(expected / windowSeconds, 1)).append(") | |\n");
        md.append("| CPU | ").append(fmt(cpuCores, 2)).append(" cores = ").append(fmt(100 * cpuCores / cores, 1))
                .append("% of the ").append(cores).append("-core machine | |\n");
        md.append("| resident memory (VmRSS, max in window) | ").append(fmt(rssMax / 1024.0 / 1024.0, 0))
                .append(" MiB (heap in use at the end ").append(fmt(heapUsed / 1024.0 / 1024.0, 0)).append(" MiB) | < 1,024 MiB: **")
                .append(rssMax < 1024L * 1024 * 1024 ? "met" : "MISSED").append("** |\n");
        md.append("| missed polls / overlapping polls / failed polls / instances never polled in the window | ")
                .append(missed).append(" / ").append(overlaps).append(" / ").append(failed).append(" / ").append(silent)
                .append(" | none missed or overlapping: **").append(missed == 0 && overlaps == 0 ? "met" : "MISSED").append("** |\n");
        md.append("| instances whose first poll was skipped by Quartz (came one interval late) | ").append(skippedFirst)
                .append(" | |\n");
        section = md.toString();
        assertThat(window).isNotEmpty();
        assertThat(lags).allMatch(l -> l > -1000);
    }

    @AfterAll
    void publish() {
        if (!section.isEmpty()) {
            BenchResults.publish(scale(), "3-many-instances.md", section);
        }
    }

    private Instance createInstance(int i) throws Exception {
        ObjectNode configuration = BenchInstances.configuration(i, scale().intervalSeconds());
        String accessToken = "many-token-" + i + "-" + System.nanoTime();
        egnyte.registerToken(accessToken);
        Instance instance = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class)
                .insert("alice", "Bench " + i, "egnyte", "acme" + i, configuration,
                        new InstanceSecrets(accessToken, "api-secret", "key-" + i), List.of("bench"), true,
                        "hash-" + i + "-" + System.nanoTime());
        context.getRegistry().lookupByNameAndType("pollerScheduler", PollerScheduler.class).refresh(instance);
        return instance;
    }
}
