package dev.egnytebridge.budget;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceApiTestSupport;
import dev.egnytebridge.poller.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bridge keeps each Egnyte token to its daily call budget (here 20, with Egnyte's quota enforced at 20 too): an
 * instance asking for a poll a second is polled once every 72 minutes, says so, and never meets Egnyte's quota.
 */
class DailyCallBudgetTest extends PipelineTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("egnyte.rate-limit.calls-per-day", "20");
        return p;
    }

    @Test
    void anInstanceAskingForAPollASecondIsPolledAsOftenAsTheBudgetAllowsAndSaysWhy() throws Exception {
        egnyte.enforceDailyQuota(20);
        Instance instance = createInstance(sink.url("/budget"), null);

        // every call of the first poll counted (it may make two: Egnyte's cursor, then its events)
        await().atMost(Duration.ofSeconds(20)).until(() -> poller(instance).path("callsLast24h").asInt() >= 1
                && poller(instance).path("callsLast24h").asInt() == egnyteCalls(instance));
        int calls = egnyteCalls(instance);
        JsonNode poller = poller(instance);
        assertThat(poller.path("callBudgetPerDay").asInt()).isEqualTo(20);
        assertThat(poller.path("effectiveIntervalSeconds").asLong()).isEqualTo(4320);
        assertThat(poller.path("effectiveIntervalReason").asText()).contains("one poll every 4320 s");

        // asked for a poll a second, it is not polled again within the next seconds: its next poll is 72 minutes on
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> egnyteCalls(instance) == calls);
        // Egnyte's quota never answered: the instance is not paused for OVER_RATE
        assertThat(poller(instance).path("pausedUntil").isNull()).isTrue();
    }

    @Test
    void creatingAnInstanceWithAnIntervalTheBudgetCannotKeepSucceedsWithAWarning() {
        egnyte.acceptAnyCode(true);
        // the seed asks for 15 minutes; 20 calls a day keep one poll every 72 minutes
        HttpResponse<String> created = sendJson("POST", "/instances", ALICE, InstanceApiTestSupport.seed("budget-code"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(InstanceApiTestSupport.json(created).path("warnings")).anySatisfy(warning -> assertThat(warning.asText())
                .contains("polled every 4320 s instead of every 900 s").contains("egnyte.rate-limit.calls-per-day"));
    }

    private JsonNode poller(Instance instance) throws Exception {
        return JSON.readTree(get("/instances/" + instance.id(), ALICE).body()).path("poller");
    }

    /** The instance's calls (other tests' instances call the same simulator). */
    private int egnyteCalls(Instance instance) {
        String bearer = "Bearer " + instance.secrets().accessToken();
        return (int) egnyte.requestsTo("/pubapi/").stream().filter(r -> bearer.equals(r.header("Authorization"))).count();
    }
}
