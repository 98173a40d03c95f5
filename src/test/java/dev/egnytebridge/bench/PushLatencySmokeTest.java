package dev.egnytebridge.bench;

/** The push-latency scenario at a tiny size in the default test run: the harness works and reports numbers. */
class PushLatencySmokeTest extends PushLatencyScenario {

    @Override
    protected BenchScale scale() {
        return BenchScale.smoke();
    }
}
