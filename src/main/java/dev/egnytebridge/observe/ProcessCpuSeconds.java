package dev.egnytebridge.observe;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The process's CPU time as {@code process_cpu_seconds_total}, the name Prometheus's own clients use, in place of
 * Micrometer's {@code process_cpu_time_ns_total} ({@link PrometheusNames} leaves that one out).
 */
public final class ProcessCpuSeconds {

    private ProcessCpuSeconds() {
    }

    static void register(MeterRegistry registry) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            FunctionCounter.builder("process.cpu", sun, b -> b.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time used by the bridge's JVM process")
                    .register(registry);
        }
    }
}
