package dev.egnytebridge.bench;

/** Scenario 3 at full size ({@code -Dbench.*}); run by {@code mvn -Pbench verify}. */
class ManyInstancesBenchmark extends ManyInstancesScenario {

    private static final BenchScale SCALE = BenchScale.fromSystemProperties();

    @Override
    protected BenchScale scale() {
        return SCALE;
    }
}
