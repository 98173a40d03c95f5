package dev.egnytebridge.bench;

/** Scenario 4 at full size ({@code -Dbench.*}); run by {@code mvn -Pbench verify}. */
class StartupBenchmark extends StartupScenario {

    private static final BenchScale SCALE = BenchScale.fromSystemProperties();

    @Override
    protected BenchScale scale() {
        return SCALE;
    }
}
