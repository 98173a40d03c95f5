package dev.egnytebridge.bench;

/**
 * Sizes of the benchmark scenarios. {@link #fromSystemProperties()} reads {@code -Dbench.*} (the bench profile's full
 * sizes are the defaults); {@link #smoke()} is the tiny version the default test run uses so the harness cannot rot.
 *
 * @param runs             measured runs per figure (drain, baseline, start-up)
 * @param drainEvents      backlog of the drain scenarios (a multiple of 100)
 * @param seedKeys         keys put in the idempotent repository before the large-store drain
 * @param seedSeconds      time allowed for putting them there; fewer keys are used when it runs out (reported)
 * @param seededRuns       measured drain runs with the large store
 * @param instances        instances of the many-instances scenario
 * @param windowSeconds    how long the many-instances scenario is observed once every instance polls
 * @param intervalSeconds  poll interval of the many-instances scenario
 * @param startupInstances stored instances of the start-up scenario
 * @param writeResults     whether src/bench/RESULTS.md is (re)written
 */
public record BenchScale(int runs, int drainEvents, long seedKeys, int seedSeconds, int seededRuns, int instances,
                         int windowSeconds, int intervalSeconds, int startupInstances, boolean writeResults) {

    public static BenchScale fromSystemProperties() {
        int runs = Integer.getInteger("bench.runs", 5);
        return new BenchScale(
                runs,
                Integer.getInteger("bench.drain.events", 100_000),
                Long.getLong("bench.seed.keys", 10_000_000L),
                Integer.getInteger("bench.seed.seconds", 900),
                Integer.getInteger("bench.seeded.runs", runs),
                Integer.getInteger("bench.instances", 10_000),
                Integer.getInteger("bench.window.seconds", 120),
                Integer.getInteger("bench.interval.seconds", 60),
                Integer.getInteger("bench.startup.instances", 1_000),
                Boolean.parseBoolean(System.getProperty("bench.write-results", "true")));
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
        return new BenchScale(1, 300, 2_000, 60, 1, 20, 3, 1, 10, false);
    }
}
