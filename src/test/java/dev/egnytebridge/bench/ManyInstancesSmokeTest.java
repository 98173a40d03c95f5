package dev.egnytebridge.bench;

/** The many-instances scenario at a tiny size in the default test run: the harness works and reports numbers. */
class ManyInstancesSmokeTest extends ManyInstancesScenario {

    @Override
    protected BenchScale scale() {
        return BenchScale.smoke();
    }
}
