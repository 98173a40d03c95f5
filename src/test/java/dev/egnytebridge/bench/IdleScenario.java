package dev.egnytebridge.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static dev.egnytebridge.bench.BenchFigures.fmt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 7, idle: the CPU an idle bridge uses. First a window with no instance at all, then one with many idle
 * instances (events on, callback to a healthy receiver, the fake Egnyte answering "nothing new") whose refresh interval
 * (15 minutes by default, longer than the setup plus the window) means none of them is due during the window: the
 * figure is the engine's own idle cost (timers, claims, schedulers), not polling. Side by side over the very same
 * windows: a JVM doing nothing (the out-of-process fakes' launcher with nothing started, same java, same classpath,
 * same maximum heap), measured from the outside.
 */
abstract class IdleScenario extends OutOfProcessBridgeScenario {

    static final String KEY = "bench-idle-key-0123456789";

    /** One window: wall seconds, CPU nanos of the bridge's JVM, of the idle JVM and of the fakes, polls seen, VmRSS. */
    record Window(double seconds, long bridgeCpu, long idleJvmCpu, long fakesCpu, long polls, long rss, String busiest) {
        double bridgePercent() {
            return bridgeCpu / 1e9 / seconds * 100;
        }

        String idleJvmPercent() {
            return idleJvmCpu < 0 ? "n/a" : fmt(idleJvmCpu / 1e9 / seconds * 100, 3);
        }

        String fakesPercent() {
            return fakesCpu < 0 ? "n/a" : fmt(fakesCpu / 1e9 / seconds * 100, 3);
        }
    }

    private Window empty;
    private Window loaded;
    private double createSeconds;
    private String settings = "";

    @Override
    protected void scenarioProperties(Properties p) {
        // the shipped defaults (bridge.poller.min-interval-seconds 60 and every timer): nothing to override
    }

    @Test
    void idlesCheaply() throws Exception {
        BenchScale.Idle s = scale().idle();
        settings = "`bridge.delivery.idle-check-ms` " + property("bridge.delivery.idle-check-ms")
                + ", `bridge.poller.idle-check-ms` " + property("bridge.poller.idle-check-ms")
                + ", `bridge.standalone.idle-check-ms` " + property("bridge.standalone.idle-check-ms")
                + ", `bridge.poller.min-interval-seconds` " + property("bridge.poller.min-interval-seconds");
        long maxHeapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        try (OutOfProcessFakes idleJvm = OutOfProcessFakes.start("bench-idle-jvm.log", "-Xmx" + maxHeapMb + "m")) {
            pace(s.settleSeconds());
            empty = window(s.emptySeconds(), idleJvm);

            int receiver = fakes.receiver(0, KEY);
            String interval = BigDecimal.valueOf(s.intervalMinutes()).stripTrailingZeros().toPlainString();
            fakes.clearRequests();
            long c0 = System.nanoTime();
            // four POST /instances at a time (one after the other took about 60 s for 1,000)
            java.util.concurrent.ExecutorService creators = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<Created>> created = new java.util.ArrayList<>();
                for (int i = 0; i < s.instances(); i++) {
                    int n = i;
                    created.add(creators.submit(() -> createInstance("idle-" + n,
                            OutOfProcessFakes.url(receiver, "/hook/" + n), KEY, interval)));
                }
                for (java.util.concurrent.Future<Created> f : created) {
                    f.get();
                }
            } finally {
                creators.shutdownNow();
            }
            createSeconds = (System.nanoTime() - c0) / 1e9;
            // every instance has made its first poll (the cursor call); none is due again within the window
            await().atMost(Duration.ofSeconds(Math.max(120, s.instances() / 5))).pollInterval(Duration.ofMillis(500))
                    .until(() -> fakes.tokensSeen() >= s.instances());
            pace(s.settleSeconds());
            loaded = window(s.seconds(), idleJvm);
        }
        assertThat(empty.seconds()).isPositive();
        assertThat(loaded.seconds()).isPositive();
    }

    private Window window(int seconds, OutOfProcessFakes idleJvm) throws InterruptedException {
        fakes.clearRequests();
        long idle0 = idleJvm.cpuNanos();
        long fakes0 = fakes.cpuNanos();
        java.util.Map<String, ThreadCpu> threads0 = threadCpu();
        long cpu0 = BenchFigures.processCpuNanos();
        long t0 = System.nanoTime();
        pace(seconds);
        long cpu1 = BenchFigures.processCpuNanos();
        java.util.Map<String, ThreadCpu> threads1 = threadCpu();
        long t1 = System.nanoTime();
        long idle1 = idleJvm.cpuNanos();
        long fakes1 = fakes.cpuNanos();
        long polls = fakes.pubapiCalls();
        return new Window((t1 - t0) / 1e9, cpu1 - cpu0, idle0 < 0 || idle1 < 0 ? -1 : idle1 - idle0,
                fakes0 < 0 || fakes1 < 0 ? -1 : fakes1 - fakes0, polls, BenchFigures.residentBytes(),
                busiest(threads0, threads1, cpu1 - cpu0, (t1 - t0) / 1e9));
    }

    /** One thread of this process as /proc shows it: its name and the CPU it has used, in nanoseconds. */
    private record ThreadCpu(String name, long nanos) {
    }

    /**
     * CPU of every thread of this process, JVM-internal ones (GC, JIT compiler, VM thread) included, by thread id, from
     * /proc/self/task (Linux; clock ticks of 10 ms); empty elsewhere.
     */
    private static java.util.Map<String, ThreadCpu> threadCpu() {
        java.util.Map<String, ThreadCpu> cpu = new java.util.HashMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return cpu;
        }
        for (java.io.File task : tasks) {
            try {
                String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                // the name is in parentheses and may hold spaces; the fields after it are space-separated
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                cpu.put(task.getName(), new ThreadCpu(name, ticks * 10_000_000L));
            } catch (java.io.IOException | RuntimeException ended) {
                // the thread ended while being read: its CPU counts in "threads that ended"
            }
        }
        return cpu;
    }

    /**
     * Where the window's CPU went: the threads that used most (by name, numbers folded, JVM-internal threads such as
     * GC and JIT included), as % of one core, and what threads that started or ended within the window used.
     */
    private static String busiest(java.util.Map<String, ThreadCpu> before, java.util.Map<String, ThreadCpu> after,
                                  long processCpu, double seconds) {
        java.util.Map<String, Long> byName = new java.util.HashMap<>();
        long threads = 0;
        for (java.util.Map.Entry<String, ThreadCpu> e : after.entrySet()) {
            ThreadCpu was = before.get(e.getKey());
            long used = e.getValue().nanos() - (was == null ? 0 : was.nanos());
            if (used <= 0) {
                continue;
            }
            threads += used;
            byName.merge(e.getValue().name().replaceAll("\\d+", "#"), used, Long::sum);
        }
        StringBuilder text = new StringBuilder();
        byName.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> text.append(text.length() == 0 ? "" : ", ").append('`').append(e.getKey()).append("` ")
                        .append(fmt(e.getValue() / 1e9 / seconds * 100, 3)).append('%'));
        return text.append(", threads that ended in the window ")
                .append(fmt(Math.max(0, processCpu - threads) / 1e9 / seconds * 100, 3)).append('%').toString();
    }

    /** The harness waits, doing nothing (pacing of the windows). */
    private static void pace(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }

    @AfterAll
    void publish() {
        if (empty == null || loaded == null) {
            return;
        }
        BenchScale.Idle s = scale().idle();
        StringBuilder md = new StringBuilder();
        md.append("## 7. Idle: ").append(String.format("%,d", s.instances())).append(" idle instances, and none\n\n");
        md.append("The bridge started with the shipped settings (as resolved: ").append(settings)
                .append("; n/a: not set as a property in this build, the code's default applies); after ").append(s.settleSeconds())
                .append(" s, a window of ").append(s.emptySeconds()).append(" s with no instance at all. Then ")
                .append(String.format("%,d", s.instances())).append(" instances created over the REST API (four requests at a time, ")
                .append(fmt(createSeconds, 1)).append(" s), events on, each with a callback to a healthy receiver, the fake Egnyte "
                + "answering nothing new, refresh interval ").append(BigDecimal.valueOf(s.intervalMinutes()).stripTrailingZeros().toPlainString())
                .append(" minutes: once every instance had made its first poll (the cursor call) and ").append(s.settleSeconds())
                .append(" s more, a window of ").append(s.seconds()).append(" s in which no instance is due (the interval is longer "
                + "than the setup and the window), so it measures the engine's own idle cost. CPU is the measured JVM's process "
                + "CPU time (bridge and a harness that sleeps); the fake Egnyte and the receiver are in the other process. "
                + "Baseline over the very same windows: a JVM doing nothing (`BenchFakesMain` with nothing started: same java, "
                + "same classpath, same maximum heap, ").append(Runtime.getRuntime().maxMemory() / (1024 * 1024))
                .append(" MiB), its CPU read from /proc by `ProcessHandle`.").append(BenchScale.overridesNote()).append("\n\n");
        md.append("| figure | ").append(String.format("%,d", s.instances())).append(" instances | no instance | target |\n")
                .append("| --- | --- | --- | --- |\n");
        md.append("| bridge CPU, % of one core | ").append(fmt(loaded.bridgePercent(), 3)).append(" | ")
                .append(fmt(empty.bridgePercent(), 3)).append(" | < 0.5 with the instances: **")
                .append(loaded.bridgePercent() < 0.5 ? "met" : "MISSED").append("** |\n");
        md.append("| a JVM doing nothing, same window, % of one core | ").append(loaded.idleJvmPercent()).append(" | ")
                .append(empty.idleJvmPercent()).append(" | |\n");
        md.append("| fakes process, same window, % of one core | ").append(loaded.fakesPercent()).append(" | ")
                .append(empty.fakesPercent()).append(" | |\n");
        md.append("| calls reaching the fake Egnyte in the window (polls) | ").append(loaded.polls()).append(" | ")
                .append(empty.polls()).append(" | |\n");
        md.append("| window | ").append(fmt(loaded.seconds(), 0)).append(" s | ").append(fmt(empty.seconds(), 0)).append(" s | |\n");
        md.append("| bridge VmRSS at the end of the window | ").append(loaded.rss() / (1024 * 1024)).append(" MiB | ")
                .append(empty.rss() / (1024 * 1024)).append(" MiB | |\n");
        md.append("\nWhere the bridge's CPU went, % of one core: with the instances ").append(loaded.busiest())
                .append("; with none ").append(empty.busiest()).append(".\n");
        BenchResults.publish(scale(), "7-idle.md", md.toString());
    }
}
