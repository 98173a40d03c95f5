package dev.egnytebridge.delivery;

import java.time.Duration;
import java.util.Properties;

import dev.egnytebridge.BridgeSettings;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How long a claimed delivery stays leased, so a dead node's deliveries are sent again and a live one's are not. */
class DeliveryLeaseTest {

    private static BridgeSettings settings(String... keyValues) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        context.getPropertiesComponent().setOverrideProperties(p);
        return BridgeSettings.of(context);
    }

    @Test
    void defaultsToTwiceTheAttemptTimeoutPlusAMinute() {
        assertThat(DeliveryBeans.lease(settings())).isEqualTo(Duration.ofSeconds(90));
        assertThat(DeliveryBeans.lease(settings("bridge.delivery.timeout-ms", "5000"))).isEqualTo(Duration.ofSeconds(70));
    }

    @Test
    void isConfigurable() {
        assertThat(DeliveryBeans.lease(settings("bridge.delivery.timeout-ms", "5000", "bridge.delivery.lease-seconds", "15")))
                .isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void refusesALeaseThatAnAttemptCouldOutlive() {
        assertThatThrownBy(() -> DeliveryBeans.lease(
                settings("bridge.delivery.timeout-ms", "5000", "bridge.delivery.lease-seconds", "10")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bridge.delivery.lease-seconds");
    }
}
