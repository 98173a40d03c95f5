package dev.egnytebridge.delivery;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignerTest {

    @Test
    void matchesTheStandardWebhooksReferenceVector() {
        // the example of the Standard Webhooks reference libraries
        String signature = WebhookSigner.standardSignature("{\"test\": 2432232314}", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void signsTheBodyForElementsWithTheKeyAsUtf8() {
        // echo -n 'hello' | openssl dgst -sha256 -hmac 'key' -binary | base64
        assertThat(WebhookSigner.elementsSignature("hello", "key"))
                .isEqualTo("sha256=kwezuRXvtRcf8U2MtV+8x5jGwO8UVtZt7RpqpyOli3s=");
    }

    @Test
    void usesAPlainKeyAsUtf8ForStandardWebhooks() {
        assertThat(WebhookSigner.standardKeyBytes("plain-key")).isEqualTo("plain-key".getBytes());
    }

    @Test
    void givesEveryHeaderForOneAttempt() {
        Map<String, String> headers = WebhookSigner.signatureHeaders("{}", "evt-1", 1700000000L, "k");
        assertThat(headers).containsOnlyKeys("Elements-Webhook-Signature", "webhook-id", "webhook-timestamp", "webhook-signature")
                .containsEntry("webhook-id", "evt-1").containsEntry("webhook-timestamp", "1700000000");
    }

    @Test
    void rejectsAWhsecKeyThatIsNotBase64WithoutEchoingIt() {
        assertThatThrownBy(() -> WebhookSigner.standardSignature("{}", "id", 1L, "whsec_not*base64!"))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("not*base64");
    }
}
