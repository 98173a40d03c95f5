package dev.egnytebridge.push;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.instance.CapturedLog;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.sandbox.RecordedRequest;
import dev.egnytebridge.sandbox.SimulatedWebhook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The life of an instance's Egnyte webhook (routes/egnyte-push.yaml, maintain-push-registrations) against the Egnyte
 * simulator, which implements Egnyte's webhooks API and pushes to the bridge's real receiver on loopback.
 */
class PushLifecycleTest extends PushTestSupport {

    private static final String HOUR = "60";
    private static final Duration UPKEEP = Duration.ofSeconds(30);

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.push.retry-seconds", "1");
        return p;
    }

    /** Each test's registrations are forgotten, so their upkeep does not register them again during the next test. */
    @AfterEach
    void forgetWebhooks() {
        jdbc().update("DELETE FROM egnyte_push");
        egnyte.webhooks().forEach(hook -> {
            try {
                egnyte.expireWebhook(hook.webhookId());
            } catch (IllegalArgumentException gone) {
                // deleted by the test
            }
        });
        egnyte.webhookLimit(10);
    }

    @Test
    void anInstanceInWebhooksModeIsRegisteredWithTheFiltersOfItsEventsResource() throws Exception {
        ObjectNode resources = eventsResource("/hubs/documents/events?folder=/Shared/Contracts&type=file_system");
        Instance instance = createPushInstance(sink.url("/registered"), HOUR, resources);

        SimulatedWebhook hook = awaitActive(instance);

        PushRegistration registration = registration(instance);
        assertThat(hook.url()).isEqualTo(baseUrl() + "/events/egnyte/" + registration.hookKey());
        assertThat(hook.eventTypes()).containsExactly("fs:*");
        assertThat(hook.paths()).containsExactly("/Shared/Contracts");
        assertThat(hook.authHeader()).isEqualTo(PushLifecycle.AUTH_HEADER);
        assertThat(hook.authHeaderValue()).isEqualTo(registrations().authValue(instance.id()));
        // Egnyte's expires is in Unix seconds
        assertThat(registration.expiresAt()).isEqualTo(hook.expires().truncatedTo(ChronoUnit.SECONDS));

        JsonNode shown = JSON.readTree(get("/instances/" + instance.id(), ALICE).body());
        assertThat(shown.path("push").path("state").asText()).isEqualTo("active");
        assertThat(shown.path("push").path("webhookId").asText()).isEqualTo(hook.webhookId());
        assertThat(shown.toString()).as("no secret in the answer")
                .doesNotContain(registration.hookKey()).doesNotContain(hook.authHeaderValue());
    }

    @Test
    void aFileEventReachesTheCallbackThroughEgnytesPushLongBeforeTheBackstop() throws Exception {
        Instance instance = createPushInstance(sink.url("/pushed"), HOUR);
        awaitActive(instance);
        await().atMost(Duration.ofSeconds(30)).until(() -> polls(instance) >= 1 && notPolling(instance));

        egnyte.addEvent("create", "/Shared/Reports/q4.xlsx", false);

        await().atMost(Duration.ofSeconds(30)).until(() -> !objectIds("/pushed").isEmpty());
        assertThat(egnyte.pushes()).anyMatch(push -> push.delivered() && push.status() == 200);
        // measured from the push to the delivery (bridge_push_to_delivery_seconds)
        await().atMost(Duration.ofSeconds(30)).until(() -> BridgeMetrics.of(context).registry()
                .find("bridge.push.to.delivery").timer().count() >= 1);
    }

    @Test
    void aLostPushIsCaughtByTheBackstopPoll() throws Exception {
        Instance instance = createPushInstance(sink.url("/lost"), "0.05"); // a 3-second backstop
        awaitActive(instance);
        await().atMost(Duration.ofSeconds(30)).until(() -> polls(instance) >= 1 && notPolling(instance));
        egnyte.dropNextPushes(1);

        egnyte.addEvent("create", "/Shared/Reports/lost.xlsx", false);

        await().atMost(Duration.ofSeconds(30)).until(() -> !objectIds("/lost").isEmpty());
        assertThat(egnyte.pushes()).anyMatch(push -> push.dropped());
    }

    @Test
    void aRegistrationEgnyteRefusesLeavesTheInstancePollingAndSaysWhy() throws Exception {
        egnyte.webhookLimit(0);
        Instance instance = createPushInstance(sink.url("/refused"), "0.05");

        await().atMost(UPKEEP).until(() -> registration(instance).state() == PushState.REFUSED);

        assertThat(registration(instance).reason()).contains("409");
        egnyte.addEvent("create", "/Shared/Reports/polled.xlsx", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> !objectIds("/refused").isEmpty());
    }

    @Test
    void aNonAdminOrAGrantWithoutTheWebhooksScopeIsRefusedAndCanBeTriedAgain() throws Exception {
        Instance instance = createPushInstance(sink.url("/not-admin"), HOUR);
        egnyte.notAdmin(instance.secrets().accessToken());
        awaitActiveOrRefused(instance);
        if (registration(instance).state() == PushState.ACTIVE) {
            // registered before the token lost its admin: start over as a refused one would
            jdbc().update("UPDATE egnyte_push SET webhook_id = NULL, state = 'PENDING' WHERE instance_id = ?", instance.id());
            sendJson("POST", "/instances/" + instance.id() + "/push", ALICE, "");
            await().atMost(UPKEEP).until(() -> registration(instance).state() == PushState.REFUSED);
        }
        assertThat(registration(instance).reason()).contains("403").contains("administrator");

        Instance scopeless = createPushInstance(sink.url("/no-scope"), HOUR);
        egnyte.withoutWebhooksScope(scopeless.secrets().accessToken());
        awaitActiveOrRefused(scopeless);
        if (registration(scopeless).state() == PushState.REFUSED) {
            assertThat(registration(scopeless).reason()).contains("Egnyte.webhooks");
        }
    }

    @Test
    void theUserCanAskForAnotherTryAfterARefusal() throws Exception {
        egnyte.webhookLimit(0);
        Instance instance = createPushInstance(sink.url("/retry"), HOUR);
        await().atMost(UPKEEP).until(() -> registration(instance).state() == PushState.REFUSED);
        egnyte.webhookLimit(10);

        var answer = sendJson("POST", "/instances/" + instance.id() + "/push", ALICE, "");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("push").has("state")).isTrue();
        awaitActive(instance);
    }

    @Test
    void aPatchThatChangesTheFiltersReplacesTheRegistration() throws Exception {
        Instance instance = createPushInstance(sink.url("/filters"), HOUR);
        SimulatedWebhook before = awaitActive(instance);

        var patched = sendJson("PATCH", "/instances/" + instance.id(), ALICE, "{\"configuration\": "
                + "{\"event.poller.configuration\": {\"events\": {\"url\": \"/hubs/documents/events?folder=/Shared/Legal\", "
                + "\"idField\": \"event_object_id\"}}}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);

        await().atMost(UPKEEP).until(() -> webhooksOf(instance).size() == 1
                && webhooksOf(instance).get(0).paths().equals(List.of("/Shared/Legal")));
        assertThat(webhooksOf(instance).get(0).webhookId()).isEqualTo(before.webhookId());
    }

    @Test
    void aRegistrationIsRenewedBeforeItExpires() throws Exception {
        egnyte.webhookTtl(Duration.ofDays(1).plusSeconds(3)); // renewed a day before: 3 s from now
        Instance instance = createPushInstance(sink.url("/renewed"), HOUR);
        SimulatedWebhook first = awaitActive(instance);
        egnyte.webhookTtl(Duration.ofDays(7));

        await().atMost(UPKEEP).until(() -> webhooksOf(instance).size() == 1
                && webhooksOf(instance).get(0).expires().isAfter(first.expires().plus(Duration.ofDays(1))));

        assertThat(webhooksOf(instance).get(0).webhookId()).isEqualTo(first.webhookId());
        await().atMost(UPKEEP).until(() -> registration(instance).expiresAt()
                .equals(webhooksOf(instance).get(0).expires().truncatedTo(ChronoUnit.SECONDS)));
    }

    @Test
    void anExpiredRegistrationIsRegisteredAgainAndADisabledOneEnabledAgain() throws Exception {
        Instance instance = createPushInstance(sink.url("/expired"), HOUR);
        SimulatedWebhook first = awaitActive(instance);

        egnyte.expireWebhook(first.webhookId());
        sendJson("POST", "/instances/" + instance.id() + "/push", ALICE, ""); // as the hourly check would
        await().atMost(UPKEEP).until(() -> webhooksOf(instance).size() == 1
                && !webhooksOf(instance).get(0).webhookId().equals(first.webhookId())
                && registration(instance).state() == PushState.ACTIVE);

        SimulatedWebhook second = webhooksOf(instance).get(0);
        egnyte.disableWebhook(second.webhookId());
        sendJson("POST", "/instances/" + instance.id() + "/push", ALICE, "");
        await().atMost(UPKEEP).until(() -> webhooksOf(instance).get(0).enabled()
                && registration(instance).reason() != null && registration(instance).reason().contains("enabled again"));
        assertThat(registration(instance).state()).isEqualTo(PushState.ACTIVE);
    }

    @Test
    void anEgnyteThatKeepsFailingIsAskedAgainLessAndLessOften() throws Exception {
        Instance instance = createPushInstance(sink.url("/failing"), HOUR);
        SimulatedWebhook first = awaitActive(instance);
        await().atMost(Duration.ofSeconds(30)).until(() -> polls(instance) >= 1 && notPolling(instance));
        egnyte.expireWebhook(first.webhookId());
        egnyte.failNext(2, 503);

        sendJson("POST", "/instances/" + instance.id() + "/push", ALICE, "");

        await().atMost(UPKEEP).until(() -> registration(instance).state() == PushState.ACTIVE
                && !first.webhookId().equals(registration(instance).webhookId()));
        List<Instant> checks = egnyte.requestsTo("/pubapi/v1/webhooks/" + first.webhookId()).stream()
                .map(RecordedRequest::receivedAt).toList();
        assertThat(checks).as("503, 503, then 404 (expired): registered again; all calls: %s", egnyte.requests().stream()
                .map(r -> r.method() + " " + r.path() + " " + r.receivedAt()).toList()).hasSize(3);
        // bridge.push.retry-seconds = 1 here: 1 s after the first failure, 2 s after the second (never sooner)
        assertThat(Duration.between(checks.get(0), checks.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(Duration.between(checks.get(1), checks.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
        assertThat(registration(instance).failures()).isZero();
    }

    @Test
    void turningEventsOffDeletesTheWebhookAndTurningThemOnRegistersItAgain() throws Exception {
        Instance instance = createPushInstance(sink.url("/off-on"), HOUR);
        awaitActive(instance);

        sendJson("PATCH", "/instances/" + instance.id(), ALICE, "{\"configuration\": {\"event.notification.enabled\": false}}");
        await().atMost(UPKEEP).until(() -> webhooksOf(instance).isEmpty() && registration(instance).state() == PushState.OFF);
        assertThat(registration(instance).reason()).contains("events are off");

        sendJson("PATCH", "/instances/" + instance.id(), ALICE, "{\"configuration\": {\"event.notification.enabled\": true}}");
        awaitActive(instance);
    }

    @Test
    void anInstanceWhoseTokenEgnyteRejectedKeepsItsRegistrationUntilItIsAuthorizedAgain() throws Exception {
        Instance instance = createPushInstance(sink.url("/rejected-token"), HOUR);
        SimulatedWebhook hook = awaitActive(instance);
        instances().markInvalid(instance.id(), "Egnyte answered 401"); // as a poll does when Egnyte rejects the token
        int callsBefore = egnyte.requestsTo("/pubapi/v1/webhooks").size();

        registrations().refresh(reload(instance));

        await().atMost(UPKEEP).until(() -> registration(instance).state() == PushState.OFF);
        assertThat(registration(instance).reason()).contains("new authorization code");
        assertThat(registration(instance).webhookId()).isEqualTo(hook.webhookId());
        assertThat(egnyte.requestsTo("/pubapi/v1/webhooks")).as("no call with a rejected token").hasSize(callsBefore);
    }

    @Test
    void switchingBackToPollingDeletesTheWebhookAndForgetsIt() throws Exception {
        Instance instance = createPushInstance(sink.url("/back-to-polling"), HOUR);
        awaitActive(instance);
        String url = baseUrl() + "/events/egnyte/" + registration(instance).hookKey(); // the row goes with the webhook

        sendJson("PATCH", "/instances/" + instance.id(), ALICE, "{\"configuration\": {\"event.vendor.type\": \"polling\"}}");

        await().atMost(UPKEEP).until(() -> registrations().find(instance.id()).isEmpty()
                && webhooks().stream().noneMatch(h -> h.url().equals(url)));
        assertThat(JSON.readTree(get("/instances/" + instance.id(), ALICE).body()).has("push")).isFalse();
    }

    @Test
    void deletingTheInstanceDeletesItsWebhookAtEgnyte() throws Exception {
        Instance instance = createPushInstance(sink.url("/deleted"), HOUR);
        String webhookId = awaitActive(instance).webhookId();

        assertThat(send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/instances/" + instance.id()))
                .DELETE().header("Authorization", ALICE)).statusCode()).isEqualTo(204);

        assertThat(webhooks()).noneMatch(h -> h.webhookId().equals(webhookId));
    }

    @Test
    void neitherTheHookKeyNorThePushSecretIsLoggedOrAnsweredAndAGetBodyCanBeSentBack() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            Instance instance = createPushInstance(sink.url("/secrets"), HOUR);
            SimulatedWebhook hook = awaitActive(instance);
            await().atMost(Duration.ofSeconds(30)).until(() -> polls(instance) >= 1 && notPolling(instance));
            egnyte.addEvent("create", "/Shared/Reports/secret.xlsx", false);
            await().atMost(Duration.ofSeconds(30)).until(() -> !objectIds("/secrets").isEmpty());
            String hookKey = registration(instance).hookKey();
            assertThat(push(hookKey, PushLifecycle.AUTH_HEADER, "wrong", "[]").statusCode()).isEqualTo(401);

            String shown = get("/instances/" + instance.id(), ALICE).body();
            var sentBack = sendJson("PATCH", "/instances/" + instance.id(), ALICE, shown);
            var retried = sendJson("POST", "/instances/" + instance.id() + "/push", ALICE, "");

            assertThat(sentBack.statusCode()).as(sentBack.body()).isEqualTo(200);
            for (String answer : List.of(shown, sentBack.body(), retried.body(), log.text())) {
                assertThat(answer).doesNotContain(hookKey).doesNotContain(hook.authHeaderValue());
            }
        }
    }

    private List<SimulatedWebhook> webhooks() {
        return egnyte.webhooks().stream().filter(h -> !h.expiredAt(Instant.now())).toList();
    }

    /** The live registrations pointing at this instance's receiver. */
    private List<SimulatedWebhook> webhooksOf(Instance instance) {
        String url = baseUrl() + "/events/egnyte/" + registration(instance).hookKey();
        return webhooks().stream().filter(h -> h.url().equals(url)).toList();
    }

    private SimulatedWebhook awaitActive(Instance instance) {
        await().atMost(UPKEEP).until(() -> registration(instance).state() == PushState.ACTIVE);
        String id = registration(instance).webhookId();
        return egnyte.webhooks().stream().filter(h -> h.webhookId().equals(id)).findFirst().orElseThrow();
    }

    private void awaitActiveOrRefused(Instance instance) {
        await().atMost(UPKEEP).until(() -> registration(instance).state() == PushState.ACTIVE
                || registration(instance).state() == PushState.REFUSED);
    }
}
