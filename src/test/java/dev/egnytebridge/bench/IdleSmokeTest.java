package dev.egnytebridge.bench;

/** The idle scenario at a tiny size in the default test run: the harness works and reports numbers. */
class IdleSmokeTest extends IdleScenario {

    @Override
    protected BenchScale scale() {
        return BenchScale.smoke();
    }
}
