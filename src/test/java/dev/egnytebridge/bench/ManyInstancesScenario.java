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
 * each instance's first call. Times storing and scheduling every instance and how soon each first poll follows; once
 * every instance has polled, the node is watched for a window: scheduling lag (actual minus planned poll start), polls
 * per second, CPU share, resident memory, missed and overlapping polls.
 */
abstract class ManyInstancesScenario extends BridgeTestSupport {

    /** A new instance is due at once; its first poll counts as late after this long (a tick, plus a little). */
    static final long FIRST_POLL_LATE_MS = 2000;
    /** A poll that starts later than this moves its instance's beat to its real start (as DuePoll.LATE_START). */
    static final long LATE_START_MS = 1000;

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
        List<Long> ids = new ArrayList<>(n);
        Map<Long, Long> scheduledAt = new HashMap<>();
        long insertNanos = 0;
        long scheduleNanos = 0;
        List<Double> schedulePerThousand = new ArrayList<>();
        long thousandNanos = 0;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Instance instance = insertInstance(i);
            long t1 = System.nanoTime();
            scheduledAt.put(instance.id(), System.currentTimeMillis());
            scheduler().refresh(instance);
            long t2 = System.nanoTime();
            ids.add(instance.id());
            insertNanos += t1 - t0;
            scheduleNanos += t2 - t1;
            thousandNanos += t2 - t0;
            if ((i + 1) % 1000 == 0) {
                schedulePerThousand.add(thousandNanos / 1e9);
                thousandNanos = 0;
            }
        }
        double createSeconds = (insertNanos + scheduleNanos) / 1e9;
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
        long heapCommitted = rt.totalMemory();

        List<PollObserver.Poll> all = observer.polls();
        writePolls(all, scheduledAt);
        List<PollObserver.Poll> window = all.subList(before, all.size()).stream()
                .filter(p -> p.startedMs() >= windowStart && p.startedMs() < windowEnd).toList();
        List<Double> lags = window.stream().map(p -> (double) p.lagMs()).toList();
        List<Double> durations = window.stream().map(p -> (double) p.durationMs()).toList();
        long failed = window.stream().filter(PollObserver.Poll::failed).count();
        // missed: more than one interval (with half an interval of slack) between an instance's planned starts, measured
        // from the beat the schedule meant to keep: a poll that started more than LATE_START_MS late moves the
        // instance's beat to its real start (DuePoll.nextAfter), so its next planned start counts from there. The raw
        // gap between planned starts is counted too, and the longest gap between real starts is reported.
        Map<Long, List<PollObserver.Poll>> byInstance = new HashMap<>();
        Map<Long, Long> firstStart = new HashMap<>();
        for (PollObserver.Poll p : all) {
            byInstance.computeIfAbsent(p.instanceId(), k -> new ArrayList<>()).add(p);
            firstStart.merge(p.instanceId(), p.startedMs(), Math::min);
        }
        long missed = 0;
        long rawPlannedGaps = 0;
        long longestRealGap = 0;
        for (List<PollObserver.Poll> polls : byInstance.values()) {
            List<PollObserver.Poll> sorted = polls.stream()
                    .sorted(java.util.Comparator.comparingLong(PollObserver.Poll::plannedMs)).toList();
            for (int i = 1; i < sorted.size(); i++) {
                PollObserver.Poll earlier = sorted.get(i - 1);
                PollObserver.Poll later = sorted.get(i);
                long beat = earlier.lagMs() > LATE_START_MS ? earlier.startedMs() : earlier.plannedMs();
                long gap = later.plannedMs() - beat;
                if (gap > interval * 3 / 2) {
                    missed += Math.round((double) gap / interval) - 1;
                }
                long rawGap = later.plannedMs() - earlier.plannedMs();
                if (rawGap > interval * 3 / 2) {
                    rawPlannedGaps++;
                }
                longestRealGap = Math.max(longestRealGap, later.startedMs() - earlier.startedMs());
            }
        }
        // a new instance is due at once: its first poll should start within a tick or so of being scheduled
        List<Double> firstDelays = ids.stream().filter(firstStart::containsKey)
                .map(id -> (double) (firstStart.get(id) - scheduledAt.get(id))).toList();
        long lateFirst = firstDelays.stream().filter(d -> d > FIRST_POLL_LATE_MS).count();
        // instances not polled at all in a window at least one interval long
        Set<Long> polledInWindow = new HashSet<>();
        window.forEach(p -> polledInWindow.add(p.instanceId()));
        long silent = scale().windowSeconds() * 1000L >= interval
                ? ids.stream().filter(id -> !polledInWindow.contains(id)).count() : 0;
        double windowSeconds = (windowEnd - windowStart) / 1000.0;
        double cpuCores = (cpu1 - cpu0) / 1e9 / windowSeconds;
        int cores = Runtime.getRuntime().availableProcessors();
        double expected = n * windowSeconds / (interval / 1000.0);
        long overlaps = observer.overlaps() - overlapsBefore;

        double p99 = percentile(lags, 99);
        StringBuilder md = new StringBuilder();
        md.append("## 3. Many instances: ").append(String.format("%,d", n)).append(" instances every ")
                .append(scale().intervalSeconds()).append(" s, polls answered 204\n\n");
        md.append("Each instance stored with instanceStore.insert and put in the poll schedule with pollerScheduler.refresh, "
                + "as the REST API does; after every instance's first poll (Egnyte's cursor), watched for ")
                .append(fmt(windowSeconds, 0)).append(" s. Default settings: the schedule in the database served by "
                + "`schedule-due-polls`, which wakes at the next poll in the schedule (or every `bridge.poller.idle-check-ms` = ")
                .append(property("bridge.poller.idle-check-ms")).append(" ms when nothing is due) for a pool of `bridge.poller.threads` = ").append(property("bridge.poller.threads"))
                .append(" threads, `egnyte.rate-limit.qps` ").append(property("egnyte.rate-limit.qps"))
                .append(". Lag = actual start of the poll (route `run-due-poll` sending to `direct:poll-instance`) minus "
                + "the start the schedule planned (the claimed poll's `plannedAt`, the instance's `next_poll_at`). One run "
                + "(the scenario needs minutes per run); spreads are over the ").append(window.size())
                .append(" polls of the window. Memory and CPU are the whole test JVM's (bridge plus fake Egnyte and "
                + "harness); its maximum heap was ").append(fmt(rt.maxMemory() / 1024.0 / 1024.0, 0)).append(" MiB.").append(BenchScale.overridesNote()).append("\n\n");
        md.append("| figure | value | target |\n| --- | --- | --- |\n");
        md.append("| storing and scheduling all instances | ").append(fmt(createSeconds, 1)).append(" s: inserts ")
                .append(fmt(insertNanos / 1e9, 1)).append(" s, pollerScheduler.refresh ").append(fmt(scheduleNanos / 1e9, 1))
                .append(" s").append(schedulePerThousand.isEmpty() ? "" : "; per 1,000 instances "
                        + fmt(schedulePerThousand.get(0), 1) + " s (first) to "
                        + fmt(schedulePerThousand.get(schedulePerThousand.size() - 1), 1) + " s (last)").append(" | |\n");
        md.append("| first poll after scheduling p50 / p99 / max | ").append(fmt(percentile(firstDelays, 50), 0))
                .append(" / ").append(fmt(percentile(firstDelays, 99), 0)).append(" / ")
                .append(fmt(BenchFigures.max(firstDelays), 0)).append(" ms | |\n");
        md.append("| instances whose first poll started more than ").append(FIRST_POLL_LATE_MS / 1000)
                .append(" s after they were scheduled | ").append(lateFirst).append(" of ").append(firstDelays.size())
                .append(" | |\n");
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
                .append(" MiB (heap at the end: ").append(fmt(heapUsed / 1024.0 / 1024.0, 0)).append(" MiB in use, ")
                .append(fmt(heapCommitted / 1024.0 / 1024.0, 0)).append(" MiB committed) | < 1,024 MiB: **")
                .append(rssMax < 1024L * 1024 * 1024 ? "met" : "MISSED").append("** |\n");
        md.append("| missed polls / overlapping polls / failed polls / instances never polled in the window | ")
                .append(missed).append(" / ").append(overlaps).append(" / ").append(failed).append(" / ").append(silent)
                .append(" | none missed or overlapping: **").append(missed == 0 && overlaps == 0 ? "met" : "MISSED").append("** |\n");
        md.append("| longest gap between an instance's real poll starts / gaps of more than 1.5 intervals between planned "
                + "starts (a beat moved to a late poll's real start) | ").append(fmt(longestRealGap / 1000.0, 1)).append(" s / ")
                .append(rawPlannedGaps).append(" | |\n");
        section = md.toString();
        assertThat(window).isNotEmpty();
        assertThat(observer.unplanned()).as("polls started without a planned DuePoll").isZero();
        assertThat(lags).allMatch(l -> l > -1000);
    }

    @AfterAll
    void publish() {
        if (!section.isEmpty()) {
            BenchResults.publish(scale(), "3-many-instances.md", section);
        }
    }

    private Instance insertInstance(int i) {
        ObjectNode configuration = BenchInstances.configuration(i, scale().intervalSeconds());
        String accessToken = "many-token-" + i + "-" + System.nanoTime();
        egnyte.registerToken(accessToken);
        return context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class)
                .insert("alice", "Bench " + i, "egnyte", "acme" + i, configuration,
                        new InstanceSecrets(accessToken, "api-secret", "key-" + i), List.of("bench"), true,
                        "hash-" + i + "-" + System.nanoTime());
    }

    /** Every observed poll as CSV under target/, for a closer look than the section's percentiles. */
    private void writePolls(List<PollObserver.Poll> polls, Map<Long, Long> scheduledAt) throws java.io.IOException {
        StringBuilder csv = new StringBuilder("instance,scheduled_ms,planned_ms,started_ms,duration_ms,failed\n");
        for (PollObserver.Poll p : polls) {
            csv.append(p.instanceId()).append(',').append(scheduledAt.getOrDefault(p.instanceId(), -1L)).append(',')
                    .append(p.plannedMs()).append(',').append(p.startedMs()).append(',').append(p.durationMs()).append(',')
                    .append(p.failed()).append('\n');
        }
        java.nio.file.Path file = java.nio.file.Path.of("target", "bench-many-instances-polls.csv");
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, csv);
    }

    private PollerScheduler scheduler() {
        return context.getRegistry().lookupByNameAndType("pollerScheduler", PollerScheduler.class);
    }

    private String property(String name) {
        return context.resolvePropertyPlaceholders("{{" + name + "}}");
    }
}
