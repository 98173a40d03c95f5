package dev.egnytebridge.sandbox;

import dev.egnytebridge.BridgeTestSupport;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** With the defaults, nothing of the sandbox runs: no simulator, no sink, no demo instance, Egnyte's real URL. */
class SandboxOffByDefaultTest extends BridgeTestSupport {

    @Test
    void bindsNoSandboxBeanAndNeverStartsTheDemoRoute() {
        assertThat(context.getRegistry().lookupByName("egnyteSimulator")).isNull();
        assertThat(context.getRegistry().lookupByName("callbackSink")).isNull();
        assertThat(context.getRegistry().lookupByName("sandboxDemo")).isNull();
        assertThat(context.getRegistry().findByType(EgnyteSimulator.class)).isEmpty();
        assertThat(context.getRegistry().findByType(CallbackSink.class)).isEmpty();
        assertThat(context.getRouteController().getRouteStatus("create-sandbox-demo")).isEqualTo(ServiceStatus.Stopped);
        assertThat(context.resolvePropertyPlaceholders("{{egnyte.base-url}}")).isEqualTo("https://{subdomain}.egnyte.com");
        assertThat(context.resolvePropertyPlaceholders("{{bridge.poller.min-interval-seconds}}")).isEqualTo("60");
    }
}
