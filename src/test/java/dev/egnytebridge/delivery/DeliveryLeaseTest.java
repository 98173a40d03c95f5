package dev.egnytebridge.delivery;

import java.time.Duration;

import dev.egnytebridge.TestSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How long a claimed delivery stays leased, so a dead node's deliveries are sent again and a live one's are not. */
class DeliveryLeaseTest {


    @Test
    void defaultsToTwiceTheAttemptTimeoutPlusAMinute() {
        assertThat(DeliveryConfiguration.lease(TestSettings.of())).isEqualTo(Duration.ofSeconds(90));
        assertThat(DeliveryConfiguration.lease(TestSettings.of("bridge.delivery.timeout-ms", "5000"))).isEqualTo(Duration.ofSeconds(70));
    }

    @Test
    void isConfigurable() {
        assertThat(DeliveryConfiguration.lease(TestSettings.of("bridge.delivery.timeout-ms", "5000", "bridge.delivery.lease-seconds", "15")))
                .isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void refusesALeaseThatAnAttemptCouldOutlive() {
        assertThatThrownBy(() -> DeliveryConfiguration.lease(
                TestSettings.of("bridge.delivery.timeout-ms", "5000", "bridge.delivery.lease-seconds", "10")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bridge.delivery.lease-seconds");
    }
}
