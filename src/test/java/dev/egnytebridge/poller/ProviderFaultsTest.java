package dev.egnytebridge.poller;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import dev.egnytebridge.sandbox.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the poller does when Egnyte limits, refuses, forgets or fails. */
class ProviderFaultsTest extends PipelineTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.poller.max-consecutive-failures", "3");
        return p;
    }

    private Instance pollingInstance(String path) throws Exception {
        Instance instance = createInstance(sink.url(path), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
        return instance;
    }

    @Test
    void keepsEachTokenUnderTwoCallsASecond() throws Exception {
        egnyte.enforceQps(2);
        try {
            Instance instance = pollingInstance("/paced");
            egnyte.addEvents(650);
            await().atMost(Duration.ofSeconds(40)).until(() -> objectIds("/paced").size() >= 650);

            assertThat(objectIds("/paced")).hasSize(650).doesNotHaveDuplicates();
            String bearer = "Bearer " + instance.secrets().accessToken();
            List<Instant> calls = egnyte.requestsTo("/pubapi/").stream()
                    .filter(r -> bearer.equals(r.header("Authorization")))
                    .map(RecordedRequest::receivedAt).sorted().toList();
            for (int i = 2; i < calls.size(); i++) {
                assertThat(Duration.between(calls.get(i - 2), calls.get(i))).isGreaterThan(Duration.ofMillis(900));
            }
            assertThat(reload(instance).pollerState().consecutiveFailures()).isZero();
        } finally {
            egnyte.enforceQps(0);
        }
    }

    @Test
    void waitsRetryAfterWhenOverTheCallRateAndReadsOn() throws Exception {
        Instance instance = pollingInstance("/over-qps");
        egnyte.addEvents(12);
        egnyte.rateLimitNext(1, EgnyteSimulator.OVER_QPS, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/over-qps").size() == 12);
        assertThat(reload(instance).pollerState().lastPollStatus()).isEqualTo("OK");
        assertThat(reload(instance).pollerState().consecutiveFailures()).isZero();
    }

    @Test
    void overThePerSecondLimitTheEventsPageIsAskedAgainWithinThePoll() throws Exception {
        Instance instance = pollingInstance("/over-qps-page");
        egnyte.addEvents(3);
        egnyte.rateLimitNext(2, EgnyteSimulator.OVER_QPS, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/over-qps-page").size() == 3);
        assertThat(failedPolls(instance)).as("no poll failed: call-egnyte waited Retry-After and asked again").isZero();
        assertThat(reload(instance).pollerState().consecutiveFailures()).isZero();
    }

    @Test
    void pausesTheInstanceWhenTheDailyQuotaIsSpent() throws Exception {
        Instance instance = pollingInstance("/quota");
        egnyte.rateLimitNext(1, EgnyteSimulator.OVER_RATE, 3600);
        await().atMost(Duration.ofSeconds(20)).until(() -> reload(instance).pollerState().pausedUntil() != null);
        Instant until = reload(instance).pollerState().pausedUntil();
        assertThat(until).isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
        assertThat(reload(instance).pollerState().pausedReason()).contains("daily");
        JsonNode shown = JSON.readTree(get("/instances/" + instance.id(), ALICE).body()).path("poller");
        assertThat(Instant.parse(shown.path("pausedUntil").asText())).isEqualTo(until.truncatedTo(ChronoUnit.MILLIS));
        assertThat(shown.path("pausedReason").asText()).contains("daily");

        int calls = egnyte.requestsTo("/pubapi/").size();
        egnyte.addEvents(3);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> egnyte.requestsTo("/pubapi/").size() == calls);
    }

    @Test
    void marksTheInstanceInvalidAndStopsPollingWhenTheTokenIsRevoked() throws Exception {
        Instance instance = pollingInstance("/revoked");
        String cursor = cursorOf(instance, "events");
        egnyte.revokeToken(instance.secrets().accessToken());
        await().atMost(Duration.ofSeconds(20)).until(() -> !reload(instance).valid());
        await().atMost(Duration.ofSeconds(10)).until(() -> !scheduler().isScheduled(instance.id()));
        assertThat(cursorOf(instance, "events")).isEqualTo(cursor);
    }

    @Test
    void resumesFromTheOldestEventWhenTheCursorAgedOut() throws Exception {
        Instance instance = pollingInstance("/aged");
        scheduler().unschedule(instance.id());
        long first = egnyte.addEvent("create", "/Shared/lost.docx", false);
        long kept1 = egnyte.addEvent("create", "/Shared/kept-1.docx", false);
        long kept2 = egnyte.addEvent("create", "/Shared/kept-2.docx", false);
        egnyte.expireEventsUpTo(first);

        scheduler().refresh(reload(instance));
        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/aged").size() >= 2);
        assertThat(objectIds("/aged")).containsExactly(String.valueOf(kept1), String.valueOf(kept2));
        assertThat(cursorOf(instance, "events")).isEqualTo(String.valueOf(kept2));
    }

    @Test
    void keepsTheCursorThroughServerErrorsAndMalformedJsonThenCatchesUp() throws Exception {
        Instance instance = pollingInstance("/flaky");
        String cursor = cursorOf(instance, "events");
        egnyte.failNext(1, 503);
        egnyte.malformedNext(1);
        egnyte.addEvents(4);
        await().atMost(Duration.ofSeconds(20)).until(() -> reload(instance).pollerState().consecutiveFailures() >= 1);
        assertThat(reload(instance).pollerState().lastPollError()).isNotBlank();

        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/flaky").size() == 4);
        assertThat(Long.parseLong(cursorOf(instance, "events"))).isGreaterThan(Long.parseLong(cursor));
        await().atMost(Duration.ofSeconds(10)).until(() -> reload(instance).pollerState().consecutiveFailures() == 0);
    }

    @Test
    void disablesThePollerAfterTooManyFailedPollsInARow() throws Exception {
        Instance instance = pollingInstance("/failing");
        egnyte.failNext(10, 500);
        await().atMost(Duration.ofSeconds(30)).until(() -> reload(instance).pollerState().pollerDisabled());
        assertThat(reload(instance).pollerState().consecutiveFailures()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> !scheduler().isScheduled(instance.id()));
    }
}
