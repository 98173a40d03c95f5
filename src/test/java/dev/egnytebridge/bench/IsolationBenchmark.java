package dev.egnytebridge.bench;

/** The isolation scenario at full size ({@code -Dbench.*}); run by {@code mvn -Pbench verify}. */
class IsolationBenchmark extends IsolationScenario {

    private static final BenchScale SCALE = BenchScale.fromSystemProperties();

    @Override
    protected BenchScale scale() {
        return SCALE;
    }
}
