package dev.egnytebridge.push;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import dev.egnytebridge.instance.Instance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pushes keep the token's daily call budget: they cannot bring polls closer together than its even spacing. */
class PushBudgetTest extends PushTestSupport {

    /** 100 calls a day: one poll of one resource every 864 s keeps it. */
    private static final int CALLS_PER_DAY = 100;

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("egnyte.rate-limit.calls-per-day", String.valueOf(CALLS_PER_DAY));
        return p;
    }

    @Test
    void aPushSoonAfterAPollWaitsForTheBudgetsSpacingInsteadOfPollingAtOnce() throws Exception {
        Instance instance = createPushInstance(sink.url("/budget"), "60");
        await().atMost(Duration.ofSeconds(30)).until(() -> polls(instance) == 1 && notPolling(instance));
        Instant claimed = jdbc().queryForObject("SELECT poll_claimed_at FROM element_instance WHERE id = ?",
                Timestamp.class, instance.id()).toInstant();

        assertThat(push(instance).statusCode()).isEqualTo(200);

        Instant due = jdbc().queryForObject("SELECT next_poll_at FROM element_instance WHERE id = ?", Timestamp.class,
                instance.id()).toInstant();
        Duration spacing = Duration.ofMillis(86_400_000L / CALLS_PER_DAY);
        assertThat(due).as("brought forward from the 60-minute backstop, but no sooner than the spacing")
                .isBefore(claimed.plus(Duration.ofMinutes(59))).isAfterOrEqualTo(claimed.plus(spacing));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> polls(instance) == 1);
    }
}
