package dev.egnytebridge.delivery;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AttemptRecorderTest {

    private final Instant now = Instant.parse("2025-05-28T11:41:12Z");

    @Test
    void readsRetryAfterAsSecondsOrHttpDate() {
        assertThat(AttemptRecorder.retryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(AttemptRecorder.retryAfter("Wed, 28 May 2025 11:43:12 GMT", now)).isEqualTo(Duration.ofMinutes(2));
        assertThat(AttemptRecorder.retryAfter("soon", now)).isNull();
        assertThat(AttemptRecorder.retryAfter(null, now)).isNull();
    }

    @Test
    void describesAnErrorWithoutTheUrlsQuery() {
        String url = "http://hooks.example.com/in?token=s3cret";
        String text = AttemptRecorder.describe(new IOException("Cannot reach " + url), url);
        assertThat(text).isEqualTo("IOException: Cannot reach http://hooks.example.com/in").doesNotContain("s3cret");
    }
}
