package dev.egnytebridge.bench;

/** The start-up scenario at a tiny size in the default test run: the harness works and reports numbers. */
class StartupSmokeTest extends StartupScenario {

    @Override
    protected BenchScale scale() {
        return BenchScale.smoke();
    }
}
