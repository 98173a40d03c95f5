package dev.egnytebridge.bench;

/** The slow-receivers scenario at a tiny size in the default test run: the harness works and reports numbers. */
class SlowReceiversSmokeTest extends SlowReceiversScenario {

    @Override
    protected BenchScale scale() {
        return BenchScale.smoke();
    }
}
