package dev.egnytebridge.bench;

/** The drain scenarios at a tiny size in the default test run: the harness works and reports numbers. */
class DrainSmokeTest extends DrainScenario {

    @Override
    protected BenchScale scale() {
        return BenchScale.smoke();
    }
}
