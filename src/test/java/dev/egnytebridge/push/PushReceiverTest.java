package dev.egnytebridge.push;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.observe.BridgeMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The public receiver of Egnyte's pushes ({@code POST /events/egnyte/{hook key}}, routes/egnyte-push.yaml): it needs
 * no API credentials, so it holds against strangers, and a push it admits is a doorbell for a cursor poll.
 */
class PushReceiverTest extends PushTestSupport {

    private static final String HOUR = "60";

    @Test
    void aPushMakesTheInstanceDueForAPollAtOnce() throws Exception {
        Instance instance = createPushInstance(sink.url("/doorbell"), HOUR);
        await().atMost(Duration.ofSeconds(30)).until(() -> polls(instance) == 1 && notPolling(instance));

        assertThat(push(instance).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> polls(instance) == 2);
        assertThat(registration(instance).lastPushAt()).isNotNull();
        assertThat(counted("bridge.push.received", BridgeMetrics.INSTANCE_ID, String.valueOf(instance.id()))).isEqualTo(1);
    }

    @Test
    void anEventPushedForIsDeliveredLongBeforeTheBackstopInterval() throws Exception {
        Instance instance = createPushInstance(sink.url("/pushed-event"), HOUR);
        await().atMost(Duration.ofSeconds(30)).until(() -> polls(instance) == 1 && notPolling(instance));
        egnyte.addEvent("create", "/Shared/Reports/q4.xlsx", false);

        push(instance);

        await().atMost(Duration.ofSeconds(30)).until(() -> !objectIds("/pushed-event").isEmpty());
    }

    @Test
    void aFloodOfPushesCostsAtMostOnePollPerCoalescingWindow() throws Exception {
        Instance instance = createPushInstance(sink.url("/flood"), HOUR);
        await().atMost(Duration.ofSeconds(30)).until(() -> polls(instance) == 1 && notPolling(instance));
        long started = System.nanoTime();

        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            IntStream.range(0, 200).mapToObj(i -> senders.submit(() -> push(instance).statusCode()))
                    .toList().forEach(answer -> {
                        try {
                            assertThat(answer.get()).isEqualTo(200);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    });
        } finally {
            senders.shutdown();
        }
        long floodMs = (System.nanoTime() - started) / 1_000_000;
        await().atMost(Duration.ofSeconds(30)).until(() -> polls(instance) >= 2 && notPolling(instance));
        // let any poll the flood still owes come due (one window after the last one started), then count
        await().pollDelay(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(30)).until(() -> notPolling(instance));

        long windows = floodMs / 1_000 + 1; // bridge.push.coalesce-ms = 1000
        assertThat(polls(instance) - 1).as("polls after 200 pushes over %d ms", floodMs)
                .isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(windows + 1);
    }

    @Test
    void anUnknownHookKeyIs404AndAWrongOrMissingAuthHeaderIs401() throws Exception {
        Instance instance = createPushInstance(sink.url("/strangers"), HOUR);
        String hookKey = registration(instance).hookKey();
        String body = "[{\"eventId\": \"1\"}]";

        assertThat(push("n0-such-key", PushLifecycle.AUTH_HEADER, "x", body).statusCode()).isEqualTo(404);
        assertThat(push("bad%20key", PushLifecycle.AUTH_HEADER, "x", body).statusCode()).isEqualTo(404);
        var wrong = push(hookKey, PushLifecycle.AUTH_HEADER, "not-the-secret", body);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"message\"").doesNotContain(registrations().authValue(instance.id()));
        assertThat(push(hookKey, null, null, body).statusCode()).isEqualTo(401);
        assertThat(registration(instance).lastPushAt()).as("a refused push is not a push").isNull();
        assertThat(counted("bridge.push.rejected", "reason", "unknown_key")).isGreaterThanOrEqualTo(2);
        assertThat(counted("bridge.push.rejected", "reason", "bad_auth")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theSecretIsAlsoAcceptedInTheAuthenticationHeaderOfEgnytesHelpDesk() throws Exception {
        Instance instance = createPushInstance(sink.url("/help-desk"), HOUR);

        var answer = push(registration(instance).hookKey(), "Authentication", registrations().authValue(instance.id()),
                "[]");

        assertThat(answer.statusCode()).isEqualTo(200);
    }

    @Test
    void aMalformedBodyIsStillADoorbellAndAnOversizedOneIs413() throws Exception {
        Instance instance = createPushInstance(sink.url("/malformed"), HOUR);
        await().atMost(Duration.ofSeconds(30)).until(() -> polls(instance) == 1 && notPolling(instance));
        String hookKey = registration(instance).hookKey();
        String secret = registrations().authValue(instance.id());

        assertThat(push(hookKey, PushLifecycle.AUTH_HEADER, secret, "{not json").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> polls(instance) == 2);

        var tooBig = push(hookKey, PushLifecycle.AUTH_HEADER, secret, "[" + "x".repeat(1_100_000) + "]");
        assertThat(tooBig.statusCode()).isEqualTo(413);
    }

    @Test
    void aPushForAnInstanceWhoseEventsAreOffIsAnsweredButPollsNothing() throws Exception {
        Instance instance = createPushInstance(sink.url("/events-off"), HOUR);
        await().atMost(Duration.ofSeconds(30)).until(() -> polls(instance) == 1 && notPolling(instance));
        scheduler().unschedule(instance.id()); // as turning its events off does

        assertThat(push(instance).statusCode()).isEqualTo(200);

        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> polls(instance) == 1);
    }

    private double counted(String name, String tag, String value) {
        var counter = BridgeMetrics.of(context).registry().find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }
}
