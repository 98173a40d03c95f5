package dev.egnytebridge.poller;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egnytebridge.instance.Instance;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** How late an instance's polls start is kept per hour, and shown hour by hour in GET /instances/{id}/activity. */
class PollLagActivityTest extends PipelineTestSupport {

    @Test
    void eachPollsLagIsKeptPerHourAndShownInTheActivity() throws Exception {
        Instance instance = createInstance(sink.url("/lag"), null);

        await().atMost(Duration.ofSeconds(20)).until(() -> !currentHour(instance).path("pollLagMsMax").isNull());

        assertThat(currentHour(instance).path("pollLagMsMax").asLong()).isNotNegative();
        assertThat(jdbc().queryForObject("SELECT polls FROM poll_lag_hour WHERE instance_id = ?", Integer.class,
                instance.id())).isPositive();
    }

    @Test
    void anHoursLagIsTheLatestStartOfItsPolls() throws Exception {
        Instance instance = createInstance(sink.url("/lag-max"), null, eventsResource("/hubs/documents/events"), "60");
        PollLagHours lagHours = new PollLagHours(jdbc());
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));

        lagHours.record(instance.id(), hour.plusSeconds(60), Duration.ofMillis(40));
        lagHours.record(instance.id(), hour.plusSeconds(120), Duration.ofMillis(2500));
        lagHours.record(instance.id(), hour.plusSeconds(180), Duration.ofMillis(300));

        assertThat(jdbc().queryForMap("SELECT max_lag_ms, polls FROM poll_lag_hour WHERE instance_id = ? AND hour_start = ?",
                instance.id(), Timestamp.from(hour))).containsEntry("MAX_LAG_MS", 2500L).containsEntry("POLLS", 3);
    }

    private JsonNode currentHour(Instance instance) throws Exception {
        JsonNode hours = JSON.readTree(get("/instances/" + instance.id() + "/activity?hours=1", ALICE).body());
        return hours.get(0);
    }

    private JdbcTemplate jdbc() {
        return context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
    }
}
