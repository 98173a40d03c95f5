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

    /**
     * One window: wall seconds, CPU nanos of the bridge's JVM, of the idle JVM and of the fakes, polls seen, VmRSS, where
     * the CPU went, the JIT's compilation time in the window (ms, {@code CompilationMXBean}; -1 when unknown) and the
     * window's start and end as seconds of the measured JVM's uptime (to line it up with a JIT log or a JFR recording).
     */
    record Window(double seconds, long bridgeCpu, long idleJvmCpu, long fakesCpu, long polls, long rss, String busiest,
                  long jitMillis, double fromUptime, double toUptime) {
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
    /** The window right after {@link #loaded}: the same bridge, later ("steady state"); null when not measured. */
    private Window steady;
    /** The same setup on a bridge in a process of its own ({@link BridgeProcess}); null when not measured. */
    private Window separate;
    private double createSeconds;
    private double separateCreateSeconds;
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
            createSeconds = createInstances(baseUrl(), "idle-", s.instances(), receiver, interval);
            // every instance has made its first poll (the cursor call); none is due again within the window
            await().atMost(Duration.ofSeconds(Math.max(120, s.instances() / 5))).pollInterval(Duration.ofMillis(500))
                    .until(() -> fakes.tokensSeen() >= s.instances());
            pace(s.settleSeconds());
            loaded = window(s.seconds(), idleJvm);
            if (s.steadySeconds() > 0) {
                steady = window(s.steadySeconds(), idleJvm);
            }
            if (s.processSeconds() > 0) {
                // the bridge of this JVM has been measured: it stops, so that only the bridge process idles now
                context.stop();
                separate = inProcessOfItsOwn(s, receiver, interval, maxHeapMb, idleJvm);
            }
        }
        assertThat(empty.seconds()).isPositive();
        assertThat(loaded.seconds()).isPositive();
    }

    /**
     * Creates {@code count} instances on the bridge at {@code bridgeUrl} over its REST API, four requests at a time
     * (one after the other took about 60 s for 1,000), each with its own callback path; returns the seconds it took.
     */
    private static double createInstances(String bridgeUrl, String prefix, int count, int receiver, String interval)
            throws Exception {
        long c0 = System.nanoTime();
        java.util.concurrent.ExecutorService creators = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Created>> created = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = prefix + i;
                created.add(creators.submit(() -> createInstance(bridgeUrl, name,
                        OutOfProcessFakes.url(receiver, "/hook/" + name), KEY, interval)));
            }
            for (java.util.concurrent.Future<Created> f : created) {
                f.get();
            }
        } finally {
            creators.shutdownNow();
        }
        return (System.nanoTime() - c0) / 1e9;
    }

    /**
     * The bridge as an operator runs it (BridgeMain in a JVM of its own, the same maximum heap, a database of its own),
     * with as many instances created the same way, measured from the outside after the same settling.
     */
    private Window inProcessOfItsOwn(BenchScale.Idle s, int receiver, String interval, long maxHeapMb,
                                     OutOfProcessFakes idleJvm) throws Exception {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("egnyte.base-url", fakes.egnyteBaseUrl());
        settings.put("bridge.callbacks.allow-private-addresses", "true");
        settings.putAll(BenchScale.bridgeOverrides());
        java.nio.file.Path dataDir = java.nio.file.Files.createTempDirectory("bench-idle-process");
        long tokensBefore = fakes.tokensSeen();
        try (BridgeProcess bridge = BridgeProcess.start("bench-idle-bridge-process.log", dataDir, settings,
                List.of("-Xmx" + maxHeapMb + "m"))) {
            bridge.awaitServing(Duration.ofMinutes(2));
            separateCreateSeconds = createInstances(bridge.baseUrl(), "idle-process-", s.instances(), receiver, interval);
            await().atMost(Duration.ofSeconds(Math.max(120, s.instances() / 5))).pollInterval(Duration.ofMillis(500))
                    .until(() -> fakes.tokensSeen() >= tokensBefore + s.instances());
            pace(s.settleSeconds());
            fakes.clearRequests();
            long idle0 = idleJvm.cpuNanos();
            long fakes0 = fakes.cpuNanos();
            java.util.Map<String, ThreadCpu> threads0 = threadCpu("/proc/" + bridge.pid() + "/task");
            long cpu0 = bridge.cpuNanos();
            long t0 = System.nanoTime();
            double up0 = bridge.uptimeSeconds();
            pace(s.processSeconds());
            long cpu1 = bridge.cpuNanos();
            java.util.Map<String, ThreadCpu> threads1 = threadCpu("/proc/" + bridge.pid() + "/task");
            long t1 = System.nanoTime();
            long idle1 = idleJvm.cpuNanos();
            long fakes1 = fakes.cpuNanos();
            double up1 = bridge.uptimeSeconds();
            return new Window((t1 - t0) / 1e9, cpu1 - cpu0, idle0 < 0 || idle1 < 0 ? -1 : idle1 - idle0,
                    fakes0 < 0 || fakes1 < 0 ? -1 : fakes1 - fakes0, fakes.pubapiCalls(), bridge.residentBytes(),
                    busiest(threads0, threads1, cpu1 - cpu0, (t1 - t0) / 1e9), -1, up0, up1);
        }
    }

    private Window window(int seconds, OutOfProcessFakes idleJvm) throws InterruptedException {
        fakes.clearRequests();
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long jit0 = jitTimed ? jit.getTotalCompilationTime() : -1;
        long idle0 = idleJvm.cpuNanos();
        long fakes0 = fakes.cpuNanos();
        java.util.Map<String, ThreadCpu> threads0 = threadCpu("/proc/self/task");
        long cpu0 = BenchFigures.processCpuNanos();
        long t0 = System.nanoTime();
        double up0 = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        pace(seconds);
        long cpu1 = BenchFigures.processCpuNanos();
        java.util.Map<String, ThreadCpu> threads1 = threadCpu("/proc/self/task");
        long t1 = System.nanoTime();
        long idle1 = idleJvm.cpuNanos();
        long fakes1 = fakes.cpuNanos();
        long polls = fakes.pubapiCalls();
        double up1 = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        long jit1 = jitTimed ? jit.getTotalCompilationTime() : -1;
        // for lining a window up with -Xlog:jit+compilation or a JFR recording of the same run (uptime in seconds)
        System.out.printf("[idle bench] window of %d s: JVM uptime %.1f-%.1f s%n", seconds, up0, up1);
        return new Window((t1 - t0) / 1e9, cpu1 - cpu0, idle0 < 0 || idle1 < 0 ? -1 : idle1 - idle0,
                fakes0 < 0 || fakes1 < 0 ? -1 : fakes1 - fakes0, polls, BenchFigures.residentBytes(),
                busiest(threads0, threads1, cpu1 - cpu0, (t1 - t0) / 1e9), jitTimed ? jit1 - jit0 : -1, up0, up1);
    }

    /** One thread of this process as /proc shows it: its name and the CPU it has used, in nanoseconds. */
    private record ThreadCpu(String name, long nanos) {
    }

    /**
     * CPU of every thread of a process, JVM-internal ones (GC, JIT compiler, VM thread) included, by thread id, from
     * its /proc/.../task (Linux; clock ticks of 10 ms); empty elsewhere.
     */
    private static java.util.Map<String, ThreadCpu> threadCpu(String taskDir) {
        java.util.Map<String, ThreadCpu> cpu = new java.util.HashMap<>();
        java.io.File[] tasks = new java.io.File(taskDir).listFiles();
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
     * GC and JIT included; the 8 busiest and any other at 0.01% or more), as % of one core, and what threads that
     * started or ended within the window used.
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
        // every group that used at least 0.01% of a core in the window (at least the 8 busiest)
        long floor = (long) (seconds * 1e9 * 0.0001);
        java.util.concurrent.atomic.AtomicInteger rank = new java.util.concurrent.atomic.AtomicInteger();
        byName.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .filter(e -> rank.incrementAndGet() <= 8 || e.getValue() >= floor)
                .forEach(e -> text.append(text.length() == 0 ? "" : ", ").append('`').append(e.getKey()).append("` ")
                        .append(fmt(e.getValue() / 1e9 / seconds * 100, 3)).append('%'));
        return text.append(text.length() == 0 ? "" : ", ").append("threads that ended in the window ")
                .append(fmt(Math.max(0, processCpu - threads) / 1e9 / seconds * 100, 3)).append('%').toString();
    }

    private static String verdict(Window w) {
        return w.bridgePercent() < 0.5 ? "met" : "MISSED";
    }

    /** A table row: the first window with the instances, the steady state (when measured), the empty window. */
    private void row(StringBuilder md, String figure, java.util.function.Function<Window, String> value) {
        md.append("| ").append(figure).append(" | ").append(value.apply(loaded)).append(" | ");
        if (steady != null) {
            md.append(value.apply(steady)).append(" | ");
        }
        md.append(value.apply(empty)).append(" | ");
        if (separate != null) {
            md.append(value.apply(separate)).append(" | ");
        }
        md.append("|\n");
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
                .append(BenchFigures.unsetNote(settings)).append("); after ").append(s.settleSeconds())
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
        boolean two = steady != null;
        String n = String.format("%,d", s.instances());
        md.append("Then, with nothing changed, a second window of ").append(two ? s.steadySeconds() + " s" : "none (not measured in this run)")
                .append(" right after the first (the same instances, still none due): the **steady state**, what an idle bridge "
                + "costs once the work of the setup is behind it. The first window is measured exactly as before the second one "
                + "existed, and **the target is judged on the first window**: it is the window the target has been judged on "
                + "since the scenario existed, so the verdict stays comparable, and what it measures is a real cost too (the ")
                .append(s.seconds()).append(" s that begin ").append(s.settleSeconds()).append(" s after instances were created "
                + "and first polled); the steady state's verdict is "
                + "shown beside it, for the operator of a bridge that idles for days. JIT compilation: the measured JVM's total compilation "
                + "time in the window (`CompilationMXBean`; it is part of the JIT compiler threads' CPU).\n\n");
        if (separate != null) {
            md.append("Last, **a bridge in a process of its own**, as an operator runs it: the bridge of the test JVM is stopped, "
                    + "and `dev.egnytebridge.BridgeMain` starts in a JVM of its own (`BridgeProcess`: this classpath, the shipped "
                    + "application.properties, the same maximum heap, a database of its own, the same fake Egnyte and receiver); ")
                    .append(n).append(" instances are created over its REST API the same way (").append(fmt(separateCreateSeconds, 1))
                    .append(" s), and once each has made its first poll and ").append(s.settleSeconds()).append(" s more, a window of ")
                    .append(s.processSeconds()).append(" s. Its CPU is that process's alone, read from the outside (`ProcessHandle`, "
                    + "/proc): no test harness (surefire's threads) in it. The windows in the test JVM stay measured as before, "
                    + "for comparison with earlier runs.\n\n");
        }
        md.append("| figure | ").append(n).append(" instances, first window after setup | ");
        if (two) {
            md.append(n).append(" instances, steady state (the next window) | ");
        }
        md.append("no instance | ");
        if (separate != null) {
            md.append(n).append(" instances, a bridge in a process of its own | ");
        }
        md.append("target |\n| --- | --- | ").append(two ? "--- | " : "").append(separate != null ? "--- | " : "")
                .append("--- | --- |\n");
        md.append("| bridge CPU, % of one core | ").append(fmt(loaded.bridgePercent(), 3)).append(" | ");
        if (two) {
            md.append(fmt(steady.bridgePercent(), 3)).append(" | ");
        }
        md.append(fmt(empty.bridgePercent(), 3)).append(" | ");
        if (separate != null) {
            md.append(fmt(separate.bridgePercent(), 3)).append(" | ");
        }
        md.append("< 0.5 with the instances, judged on the first window: **")
                .append(verdict(loaded)).append("** ").append(fmt(loaded.bridgePercent(), 3)).append('%');
        if (two) {
            md.append(" (steady state: ").append(verdict(steady)).append(' ').append(fmt(steady.bridgePercent(), 3)).append("%)");
        }
        if (separate != null) {
            md.append("; a bridge in a process of its own: **").append(verdict(separate)).append("** ")
                    .append(fmt(separate.bridgePercent(), 3)).append('%');
        }
        md.append(" |\n");
        row(md, "a JVM doing nothing, same window, % of one core", Window::idleJvmPercent);
        row(md, "fakes process, same window, % of one core", Window::fakesPercent);
        row(md, "JIT compilation time in the window, ms (n/a: not read from outside the process)",
                w -> w.jitMillis() < 0 ? "n/a" : String.valueOf(w.jitMillis()));
        row(md, "calls reaching the fake Egnyte in the window (polls)", w -> String.valueOf(w.polls()));
        row(md, "window", w -> fmt(w.seconds(), 0) + " s");
        row(md, "window in the measured JVM's uptime", w -> fmt(w.fromUptime(), 0) + "–" + fmt(w.toUptime(), 0) + " s");
        row(md, "bridge VmRSS at the end of the window", w -> w.rss() / (1024 * 1024) + " MiB");
        md.append("\nVerdicts: first window after setup: **").append(verdict(loaded)).append("** ").append(fmt(loaded.bridgePercent(), 3))
                .append("% of a core");
        if (two) {
            md.append("; steady state: ").append(verdict(steady)).append(' ').append(fmt(steady.bridgePercent(), 3)).append("% of a core");
        }
        if (separate != null) {
            md.append("; **a bridge in a process of its own** (what an operator runs: no test harness in it): **")
                    .append(verdict(separate)).append("** ").append(fmt(separate.bridgePercent(), 3)).append("% of a core");
        }
        md.append(" (target < 0.5%).\n");
        md.append("\nWhere the bridge's CPU went, % of one core: with the instances, first window ").append(loaded.busiest());
        if (two) {
            md.append("; steady state ").append(steady.busiest());
        }
        md.append("; with none ").append(empty.busiest());
        if (separate != null) {
            md.append("; the bridge in a process of its own ").append(separate.busiest());
        }
        md.append(".\n");
        BenchResults.publish(scale(), "7-idle.md", md.toString());
    }
}
