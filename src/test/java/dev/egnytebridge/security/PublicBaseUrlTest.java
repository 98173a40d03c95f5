package dev.egnytebridge.security;

import java.util.Optional;

import dev.egnytebridge.api.ApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bridge.public-base-url: https, or plain http only for a loopback host; a bad value stops the start. */
class PublicBaseUrlTest {

    @Test
    void anHttpsBaseUrlGivesTheReceiverUrlOfAHookKey() {
        PublicBaseUrl base = PublicBaseUrl.of(Optional.of("https://bridge.example.com/egnyte/"));

        assertThat(base.receiverUrl("k3y")).isEqualTo("https://bridge.example.com/egnyte/events/egnyte/k3y");
    }

    @Test
    void plainHttpIsAcceptedOnlyForALoopbackHost() {
        assertThat(PublicBaseUrl.of(Optional.of("http://127.0.0.1:8080")).isSet()).isTrue();
        assertThat(PublicBaseUrl.of(Optional.of("http://localhost:8080")).isSet()).isTrue();
        assertThat(PublicBaseUrl.of(Optional.of("http://[::1]:8080")).isSet()).isTrue();
        for (String refused : new String[] {"http://bridge.example.com", "http://10.0.0.5:8080", "ftp://bridge.example.com",
                "https://bridge.example.com/?x=1", "not a url"}) {
            assertThatThrownBy(() -> PublicBaseUrl.of(Optional.of(refused))).as(refused)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(PublicBaseUrl.PROPERTY);
        }
    }

    @Test
    void unsetItRefusesWebhooksModeNamingTheProperty() {
        PublicBaseUrl unset = PublicBaseUrl.of(Optional.empty());

        unset.checkWebhooksMode("configuration.event.vendor.type", false);
        assertThatThrownBy(() -> unset.checkWebhooksMode("configuration.event.vendor.type", true))
                .isInstanceOf(ApiException.class).hasMessageContaining(PublicBaseUrl.PROPERTY);
    }
}
