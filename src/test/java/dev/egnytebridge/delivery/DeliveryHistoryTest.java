package dev.egnytebridge.delivery;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryHistoryTest {

    @Test
    void aggregatesTheStatusOfANotificationsDeliveries() {
        assertThat(DeliveryHistory.aggregate(List.of("DELIVERED", "DELIVERED"))).isEqualTo("DELIVERED");
        assertThat(DeliveryHistory.aggregate(List.of("DELIVERED", "PENDING"))).isEqualTo("PENDING");
        assertThat(DeliveryHistory.aggregate(List.of("PENDING", "RETRYING", "FAILED"))).isEqualTo("RETRYING");
        assertThat(DeliveryHistory.aggregate(List.of("DELIVERED", "GONE"))).isEqualTo("FAILED");
        assertThat(DeliveryHistory.aggregate(List.of("FAILED", "PENDING"))).isEqualTo("PENDING");
    }
}
