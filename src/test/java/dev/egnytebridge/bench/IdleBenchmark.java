package dev.egnytebridge.bench;

/** The idle scenario at full size ({@code -Dbench.*}); run by {@code mvn -Pbench verify}. */
class IdleBenchmark extends IdleScenario {

    private static final BenchScale SCALE = BenchScale.fromSystemProperties();

    @Override
    protected BenchScale scale() {
        return SCALE;
    }
}
