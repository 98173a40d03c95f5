package dev.egnytebridge.observe;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.poller.PipelineTestSupport;
import dev.egnytebridge.poller.PollCursors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Health, metrics and logs of the running bridge, over real HTTP (the OpenAPI document: api.OpenApiDocumentTest). */
class OperationsTest extends PipelineTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        // slow enough that a poll's second call to Egnyte waits for its turn
        p.setProperty("egnyte.rate-limit.qps", "1");
        return p;
    }

    private String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    private HttpResponse<String> getManagement(String path) {
        return send(HttpRequest.newBuilder(URI.create(managementUrl(path))).GET());
    }

    @Test
    void readinessCoversTheDatabaseAndTheSchedulerAndLivenessLeavesThemOut() throws Exception {
        Instance instance = createInstance(sink.url("/ready"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);

        HttpResponse<String> ready = getManagement("/observe/health/ready?exposureLevel=full");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode checks = JSON.readTree(ready.body()).path("checks");
        assertThat(statusOf(checks, "database")).isEqualTo("UP");
        assertThat(statusOf(checks, "scheduler")).isEqualTo("UP");
        assertThat(statusOf(checks, "context")).isEqualTo("UP");

        HttpResponse<String> live = getManagement("/observe/health/live?exposureLevel=full");
        assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
        assertThat(statusOf(JSON.readTree(live.body()).path("checks"), "database")).isNull();
    }

    @Test
    void readinessIsDownWhileThePollSchedulerIsStopped() throws Exception {
        context.getRouteController().stopRoute("schedule-due-polls");
        try {
            HttpResponse<String> ready = getManagement("/observe/health/ready?exposureLevel=full");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            assertThat(statusOf(JSON.readTree(ready.body()).path("checks"), "scheduler")).isEqualTo("DOWN");
        } finally {
            context.getRouteController().startRoute("schedule-due-polls");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> getManagement("/observe/health/ready").statusCode() == 200);
    }

    @Test
    void pollersCheckIsDownNamingTheFailingInstanceWhileTheBridgeStaysReady() throws Exception {
        Instance healthy = createInstance(sink.url("/healthy"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(healthy, "events") != null);
        Instance failing = createInstance(sink.url("/failing"), null);
        egnyte.failNext(1000, 500);
        await().atMost(Duration.ofSeconds(20)).until(() -> reload(failing).pollerState().consecutiveFailures() > 0);

        HttpResponse<String> all = getManagement("/observe/health?exposureLevel=full&data=true");
        assertThat(all.statusCode()).as(all.body()).isEqualTo(503);
        JsonNode pollers = check(JSON.readTree(all.body()).path("checks"), "pollers");
        assertThat(pollers.path("status").asText()).isEqualTo("DOWN");
        assertThat(pollers.path("data").path("instance." + failing.id()).asText()).contains("failed poll");
        assertThat(pollers.path("data").path("instances").asText()).contains(String.valueOf(failing.id()));
        // a token or folder problem of one customer does not take the bridge out of service
        assertThat(getManagement("/observe/health/ready").statusCode()).isEqualTo(200);

        egnyte.clearFaults();
        await().atMost(Duration.ofSeconds(20)).until(() -> reload(failing).pollerState().consecutiveFailures() == 0);
        JsonNode after = check(JSON.readTree(getManagement("/observe/health?exposureLevel=full&data=true").body()).path("checks"), "pollers");
        assertThat(after.path("data").path("instance." + failing.id()).isMissingNode()).isTrue();
    }

    @Test
    void metricsCountPollsObjectsDuplicatesDeliveriesLagRateLimitWaitsAndDeliveryState() throws Exception {
        Instance instance = createInstance(sink.url("/metrics-cb"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
        String start = cursorOf(instance, "events");
        // two pages in one poll: the second request waits for the token's turn (egnyte.rate-limit.qps=1)
        egnyte.addEvents(150);
        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/metrics-cb").size() == 150);
        // the next polls read the same events again: the idempotent filter drops them
        cursors().save(instance.id(), "events", new PollCursors.Position(start, null));

        String tag = "instance_id=\"" + instance.id() + "\"";
        await().atMost(Duration.ofSeconds(20)).until(() -> value(metrics(), "bridge_objects_duplicates_total", tag) >= 150);
        String text = metrics();
        assertThat(value(text, "bridge_polls_total", tag, "outcome=\"ok\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "bridge_objects_fetched_total", tag)).isGreaterThanOrEqualTo(300);
        assertThat(value(text, "bridge_notifications_total", tag, "outcome=\"sent\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "bridge_delivery_latency_seconds_count", "outcome=\"sent\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "bridge_instance_lag_seconds", tag)).isGreaterThanOrEqualTo(0);
        assertThat(value(text, "bridge_egnyte_rate_limit_wait_seconds_count", tag)).isGreaterThanOrEqualTo(1);
        // how late polls start: one series for the node, whatever the number of instances
        assertThat(value(text, "bridge_poll_lag_seconds_count")).isGreaterThanOrEqualTo(1);
        // the delivery engine's gauges: requests in flight on the node, endpoints by state, disabled callback URLs
        assertThat(value(text, "bridge_delivery_in_flight")).isGreaterThanOrEqualTo(0);
        assertThat(value(text, "bridge_delivery_waiting")).isGreaterThanOrEqualTo(0);
        assertThat(value(text, "bridge_delivery_endpoints_busy")).isGreaterThanOrEqualTo(0);
        assertThat(value(text, "bridge_delivery_endpoints", "state=\"circuit_open\"")).isGreaterThanOrEqualTo(0);
        assertThat(value(text, "bridge_delivery_endpoints", "state=\"throttled\"")).isGreaterThanOrEqualTo(0);
        assertThat(value(text, "bridge_delivery_callbacks_disabled")).isGreaterThanOrEqualTo(0);
        // Camel's own route metrics are there, and the callback toD did not turn URLs with options into tags
        assertThat(text).contains("route_id=\"deliver-notification\"");
        assertThat(text).doesNotContain("throwExceptionOnFailure");
        // camel-micrometer's exchange notifier is off: its per-exchange lookup among all meters grows with the instances
        assertThat(text).doesNotContain("camel_exchanges_last_timestamp");
    }

    @Test
    void aDeliveryFailureIsLoggedOnceWithTheInstanceInTheLoggingContextAndNoSecrets() throws Exception {
        List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing();
                events.add(event);
            }
        };
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logging.getLogger(Logger.ROOT_LOGGER_NAME);
        appender.setContext(logging);
        appender.start();
        root.addAppender(appender);
        try {
            sink.respondWith("/refusing", 500);
            Instance instance = createInstance(sink.url("/refusing?apiKey=secret-in-query"), "signing-key-0123");
            await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
            egnyte.addEvent("create", "/Shared/fails.docx", false);
            await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().anyMatch(e -> isDeliveryFailure(e, instance)));
            ILoggingEvent failure = events.stream().filter(e -> isDeliveryFailure(e, instance)).findFirst().orElseThrow();
            assertThat(failure.getFormattedMessage()).contains("HTTP 500").doesNotContain("secret-in-query");
            assertThat(events.stream().filter(e -> "dev.egnytebridge.poller.PollSession".equals(e.getLoggerName())
                    && e.getFormattedMessage().startsWith("Polled instance " + instance.id()))
                    .allMatch(e -> String.valueOf(instance.id()).equals(e.getMDCPropertyMap().get("instanceId")))).isTrue();
            assertThat(events).noneMatch(e -> e.getFormattedMessage().contains("signing-key-0123")
                    || e.getFormattedMessage().contains("egnyte-access-token-"));
        } finally {
            root.detachAppender(appender);
            sink.reset("/refusing");
        }
    }

    private static boolean isDeliveryFailure(ILoggingEvent e, Instance instance) {
        return e.getFormattedMessage().startsWith("Delivery of event")
                && String.valueOf(instance.id()).equals(e.getMDCPropertyMap().get("instanceId"));
    }

    private String metrics() {
        HttpResponse<String> response = getManagement("/observe/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of the first Prometheus sample of {@code name} carrying every given label, or -1. */
    static double value(String text, String name, String... labels) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                boolean all = true;
                for (String label : labels) {
                    all &= line.contains(label);
                }
                if (all) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return -1;
    }

    private static JsonNode check(JsonNode checks, String name) {
        for (JsonNode check : checks) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("No health check " + name + " in " + checks);
    }

    private static String statusOf(JsonNode checks, String name) {
        for (JsonNode check : checks) {
            if (name.equals(check.path("name").asText())) {
                return check.path("status").asText();
            }
        }
        return null;
    }
}
