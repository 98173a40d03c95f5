package dev.egnytebridge.bench;

/**
 * Sizes of the benchmark scenarios. {@link #fromSystemProperties()} reads {@code -Dbench.*} (the bench profile's full
 * sizes are the defaults); {@link #smoke()} is the tiny version the default test run uses so the harness cannot rot.
 *
 * @param runs             measured runs per figure (drain, baseline, start-up)
 * @param drainEvents      backlog of the drain scenarios (a multiple of 100)
 * @param drainWarmupRuns  untimed drains of that backlog by each side (bridge and raw loop) before the measured ones
 * @param seedKeys         keys put in the idempotent repository before the large-store drain
 * @param seedSeconds      time allowed for putting them there; fewer keys are used when it runs out (reported)
 * @param seededRuns       measured drain runs with the large store
 * @param instances        instances of the many-instances scenario
 * @param windowSeconds    how long the many-instances scenario is observed once every instance polls
 * @param intervalSeconds  poll interval of the many-instances scenario
 * @param startupInstances stored instances of the start-up scenario
 * @param writeResults     whether src/bench/RESULTS.md is (re)written
 * @param isolation        sizes of the isolation scenario (black holes next to a healthy endpoint)
 * @param slow             sizes of the slow-receivers scenario
 * @param idle             sizes of the idle scenario
 * @param push             sizes of the push-latency scenario
 */
public record BenchScale(int runs, int drainEvents, int drainWarmupRuns, long seedKeys, int seedSeconds, int seededRuns, int instances,
                         int windowSeconds, int intervalSeconds, int startupInstances, boolean writeResults,
                         Isolation isolation, Slow slow, Idle idle, Push push) {

    /**
     * @param blackHoles     endpoints that accept the connection and never answer (one instance each)
     * @param bursts         measured bursts of events (every instance reads each)
     * @param burstEvents    events per burst (notifications of 10: burstEvents / 10 per instance and burst)
     * @param spacingSeconds time between two bursts
     * @param waitSeconds    how long the healthy endpoint's notifications are waited for after the last burst
     */
    public record Isolation(int blackHoles, int bursts, int burstEvents, int spacingSeconds, int waitSeconds) {
    }

    /**
     * @param endpoints     receivers (distinct ports, one instance each)
     * @param notifications notifications in all, spread evenly over the endpoints
     * @param delayMs       how long each receiver takes to answer
     * @param maxSeconds    the measurement stops after this long (what arrived by then is reported)
     */
    public record Slow(int endpoints, int notifications, int delayMs, int maxSeconds) {
    }

    /**
     * @param instances       idle instances (events on, callback to a healthy receiver, Egnyte answering nothing new)
     * @param seconds         window measured with the instances
     * @param emptySeconds    window measured before, with no instance at all
     * @param settleSeconds   wait before each window (start-up, first polls)
     * @param intervalMinutes the instances' refresh interval
     * @param steadySeconds   a second window measured right after the first one ("steady state"; 0: none)
     * @param processSeconds  window measured, after those, on a bridge in a process of its own with as many instances
     *                        (0: none)
     */
    public record Idle(int instances, int seconds, int emptySeconds, int settleSeconds, double intervalMinutes,
                       int steadySeconds, int processSeconds) {
    }

    /**
     * @param instances       instances per mode: this many in webhooks mode and this many in polling mode
     * @param intervalSeconds every instance's refresh interval (the backstop in webhooks mode)
     * @param windowSeconds   how long events are added
     * @param minGapMs        shortest time between two events of one instance
     * @param maxGapMs        longest time between two events of one instance (gaps uniform in between)
     * @param waitSeconds     how long the last events are waited for after the window (beyond one interval)
     */
    public record Push(int instances, int intervalSeconds, int windowSeconds, int minGapMs, int maxGapMs,
                       int waitSeconds) {
    }

    public static BenchScale fromSystemProperties() {
        int runs = Integer.getInteger("bench.runs", 3);
        return new BenchScale(
                runs,
                Integer.getInteger("bench.drain.events", 50_000),
                Integer.getInteger("bench.drain.warmup-runs", 3),
                Long.getLong("bench.seed.keys", 10_000_000L),
                Integer.getInteger("bench.seed.seconds", 900),
                Integer.getInteger("bench.seeded.runs", runs),
                Integer.getInteger("bench.instances", 10_000),
                Integer.getInteger("bench.window.seconds", 60),
                Integer.getInteger("bench.interval.seconds", 60),
                Integer.getInteger("bench.startup.instances", 1_000),
                Boolean.parseBoolean(System.getProperty("bench.write-results", "true")),
                new Isolation(
                        Integer.getInteger("bench.isolation.black-holes", 40),
                        Integer.getInteger("bench.isolation.bursts", 5),
                        Integer.getInteger("bench.isolation.burst-events", 50),
                        Integer.getInteger("bench.isolation.spacing-seconds", 5),
                        Integer.getInteger("bench.isolation.wait-seconds", 60)),
                new Slow(
                        Integer.getInteger("bench.slow.endpoints", 20),
                        Integer.getInteger("bench.slow.notifications", 20_000),
                        Integer.getInteger("bench.slow.delay-ms", 1000),
                        Integer.getInteger("bench.slow.max-seconds", 180)),
                new Idle(
                        Integer.getInteger("bench.idle.instances", 1000),
                        Integer.getInteger("bench.idle.seconds", 300),
                        Integer.getInteger("bench.idle.empty-seconds", 30),
                        Integer.getInteger("bench.idle.settle-seconds", 20),
                        Double.parseDouble(System.getProperty("bench.idle.interval-minutes", "15")),
                        Integer.getInteger("bench.idle.steady-seconds", 300),
                        Integer.getInteger("bench.idle.process-seconds", 300)),
                new Push(
                        Integer.getInteger("bench.push.instances", 20),
                        Integer.getInteger("bench.push.interval-seconds", 60),
                        Integer.getInteger("bench.push.window-seconds", 180),
                        Integer.getInteger("bench.push.min-gap-ms", 10_000),
                        Integer.getInteger("bench.push.max-gap-ms", 20_000),
                        Integer.getInteger("bench.push.wait-seconds", 30)));
    }

    /**
     * Bridge properties to try in a benchmark run without editing anything: {@code -Dbench.bridge.NAME=VALUE} sets
     * the bridge property NAME (e.g. {@code -Dbench.bridge.bridge.poller.threads=20}).
     */
    public static java.util.Map<String, String> bridgeOverrides() {
        java.util.Map<String, String> overrides = new java.util.TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("bench.bridge."))
                .forEach(n -> overrides.put(n.substring("bench.bridge.".length()), System.getProperty(n)));
        return overrides;
    }

    /** For a scenario's text: the bridge properties this run set with {@code -Dbench.bridge.*}, or "" when none. */
    public static String overridesNote() {
        java.util.Map<String, String> overrides = bridgeOverrides();
        if (overrides.isEmpty()) {
            return "";
        }
        StringBuilder note = new StringBuilder(" Set for this run with `-Dbench.bridge.*`:");
        overrides.forEach((name, value) -> note.append(" `").append(name).append('=').append(value).append('`'));
        return note.append('.').toString();
    }

    public static BenchScale smoke() {
        return new BenchScale(1, 300, 1, 2_000, 60, 1, 20, 3, 1, 10, false,
                new Isolation(2, 1, 20, 1, 20), new Slow(3, 30, 1000, 30), new Idle(20, 2, 2, 1, 15, 1, 2),
                new Push(2, 3, 3, 1000, 2000, 5));
    }
}
