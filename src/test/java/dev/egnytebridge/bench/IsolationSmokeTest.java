package dev.egnytebridge.bench;

/** The isolation scenario at a tiny size in the default test run: the harness works and reports numbers. */
class IsolationSmokeTest extends IsolationScenario {

    @Override
    protected BenchScale scale() {
        return BenchScale.smoke();
    }
}
