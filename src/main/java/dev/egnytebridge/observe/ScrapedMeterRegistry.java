package dev.egnytebridge.observe;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The registry camel-micrometer-prometheus serves at /observe/metrics, with {@link PrometheusNames} in place from its
 * first meter. Bound as {@code metricsRegistry} by {@code camel.beans.metricsRegistry} in application.properties, not
 * by a {@code @BindToRegistry} method: Camel Main makes its registry, and binds Camel's and the JVM's meters to it,
 * before configuration classes are bound, and a filter added once meters exist misses them (and Micrometer warns).
 * It also counts the process's CPU time under Prometheus's name ({@link ProcessCpuSeconds}). Embedded, the host's
 * registry is left as it is.
 */
public class ScrapedMeterRegistry extends PrometheusMeterRegistry {

    public ScrapedMeterRegistry() {
        super(PrometheusConfig.DEFAULT);
        config().meterFilter(new PrometheusNames());
        ProcessCpuSeconds.register(this);
    }
}
