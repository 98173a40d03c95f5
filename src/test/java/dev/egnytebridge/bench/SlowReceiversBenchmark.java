package dev.egnytebridge.bench;

/** The slow-receivers scenario at full size ({@code -Dbench.*}); run by {@code mvn -Pbench verify}. */
class SlowReceiversBenchmark extends SlowReceiversScenario {

    private static final BenchScale SCALE = BenchScale.fromSystemProperties();

    @Override
    protected BenchScale scale() {
        return SCALE;
    }
}
