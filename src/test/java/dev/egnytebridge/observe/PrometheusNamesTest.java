package dev.egnytebridge.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusNamesTest {

    @Test
    void camelCaseTagKeysBecomeSnakeCaseAndSnakeCaseStaysAsItIs() {
        assertThat(PrometheusNames.snakeCase("routeId")).isEqualTo("route_id");
        assertThat(PrometheusNames.snakeCase("camelContext")).isEqualTo("camel_context");
        assertThat(PrometheusNames.snakeCase("eventType")).isEqualTo("event_type");
        assertThat(PrometheusNames.snakeCase("endpointURI")).isEqualTo("endpoint_uri");
        assertThat(PrometheusNames.snakeCase("instance_id")).isEqualTo("instance_id");
        assertThat(PrometheusNames.snakeCase("le")).isEqualTo("le");
    }

    @Test
    void aMeterRegisteredWithCamelCaseTagsAndNoDescriptionComesOutSnakeCaseWithAHelpText() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new PrometheusNames());
        Counter.builder("camel.routes.added").tag("camelContext", "bridge").tag("routeId", "poll").register(registry);

        Counter counter = registry.find("camel.routes.added").counter();
        assertThat(counter).isNotNull();
        assertThat(counter.getId().getTag("camel_context")).isEqualTo("bridge");
        assertThat(counter.getId().getTag("route_id")).isEqualTo("poll");
        assertThat(counter.getId().getTag("routeId")).isNull();
        assertThat(counter.getId().getDescription()).isNotBlank();
    }

    @Test
    void micrometersProcessCpuTimeInNanosecondsIsLeftOut() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new PrometheusNames());
        Counter.builder("process.cpu.time").baseUnit("ns").register(registry);
        ProcessCpuSeconds.register(registry);

        assertThat(registry.find("process.cpu.time").meter()).isNull();
        assertThat(registry.find("process.cpu").functionCounter().getId().getBaseUnit()).isEqualTo("seconds");
    }

    @Test
    void aGaugeNamedWithTheCountSuffixOfHistogramsIsRenamed() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new PrometheusNames());
        io.micrometer.core.instrument.Gauge.builder("system.cpu.count", () -> 2).register(registry);

        assertThat(registry.find("system.cpu.count").meter()).isNull();
        assertThat(registry.find("system.cpus").gauge().value()).isEqualTo(2.0);
    }
}
