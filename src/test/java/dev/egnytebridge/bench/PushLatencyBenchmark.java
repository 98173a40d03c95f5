package dev.egnytebridge.bench;

/** Scenario 8 at full size ({@code -Dbench.*}); run by {@code mvn -Pbench verify}. */
class PushLatencyBenchmark extends PushLatencyScenario {

    private static final BenchScale SCALE = BenchScale.fromSystemProperties();

    @Override
    protected BenchScale scale() {
        return SCALE;
    }
}
