package dev.egnytebridge.bench;

/** Scenarios 1 and 2 at full size ({@code -Dbench.*}); run by {@code mvn -Pbench verify}. */
class DrainBenchmark extends DrainScenario {

    private static final BenchScale SCALE = BenchScale.fromSystemProperties();

    @Override
    protected BenchScale scale() {
        return SCALE;
    }
}
