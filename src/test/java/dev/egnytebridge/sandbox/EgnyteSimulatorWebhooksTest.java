package dev.egnytebridge.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

/** Egnyte's native webhooks API as the simulator serves it, over real HTTP on loopback. */
class EgnyteSimulatorWebhooksTest {

    private static final String ADMIN = "admin-token";
    private static final Instant START = Instant.parse("2025-05-28T11:41:12Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final ObjectMapper json = new ObjectMapper();
    private final MutableClock clock = new MutableClock(START);
    private EgnyteSimulator egnyte;
    private CallbackSink receiver;

    @BeforeEach
    void start() {
        egnyte = new EgnyteSimulator(clock).start();
        egnyte.registerToken(ADMIN);
        receiver = new CallbackSink().start();
    }

    @AfterEach
    void stop() {
        egnyte.close();
        receiver.close();
    }

    // ------------------------------------------------------------------ managing registrations

    @Test
    void registersAWebhookAndListsItWithoutItsSecret() throws Exception {
        HttpResponse<String> created = call("POST", "/pubapi/v1/webhooks", ADMIN, registration("/hooks/a")
                .put("path", "/Shared/a, /Shared/b/").put("authHeader", "X-Hook-Key").put("authHeaderValue", "s3cret"));

        assertThat(created.statusCode()).isEqualTo(200);
        JsonNode body = body(created);
        String id = body.path("webhookId").asText();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(body.path("expires").asLong()).isEqualTo(START.plus(Duration.ofDays(7)).getEpochSecond());
        assertThat(body.path("status").asText()).isEqualTo("enabled");

        HttpResponse<String> list = call("GET", "/pubapi/v1/webhooks", ADMIN, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).doesNotContain("s3cret");
        JsonNode listed = body(list).path("webhooks").get(0);
        assertThat(listed.path("webhookId").asText()).isEqualTo(id);
        assertThat(listed.path("url").asText()).isEqualTo(receiver.url("/hooks/a"));
        assertThat(listed.path("eventType").get(0).asText()).isEqualTo("fs:*");
        assertThat(listed.path("path").asText()).isEqualTo("/Shared/a, /Shared/b");
        assertThat(listed.path("expires").asLong()).isEqualTo(body.path("expires").asLong());
        assertThat(listed.path("status").asText()).isEqualTo("enabled");

        SimulatedWebhook hook = egnyte.webhooks().get(0);
        assertThat(hook.paths()).containsExactly("/Shared/a", "/Shared/b");
        assertThat(hook.authHeaderValue()).isEqualTo("s3cret");
    }

    @Test
    void detailsNameTheAuthHeaderButNeverItsValue() throws Exception {
        String id = register(registration("/hooks/a").put("authHeader", "X-Hook-Key").put("authHeaderValue", "s3cret"));

        HttpResponse<String> details = call("GET", "/pubapi/v1/webhooks/" + id + "/details", ADMIN, null);

        assertThat(details.statusCode()).isEqualTo(200);
        assertThat(details.body()).doesNotContain("s3cret");
        JsonNode d = body(details);
        assertThat(d.path("webhookId").asText()).isEqualTo(id);
        assertThat(d.path("url").asText()).isEqualTo(receiver.url("/hooks/a"));
        assertThat(d.path("authHeader").asText()).isEqualTo("X-Hook-Key");
        assertThat(d.path("createdAt").asLong()).isEqualTo(START.getEpochSecond());
        assertThat(d.path("status").asText()).isEqualTo("enabled");
    }

    @Test
    void aTokenWithoutTheWebhooksScopeIsRefused() throws Exception {
        egnyte.withoutWebhooksScope(ADMIN);

        HttpResponse<String> r = call("POST", "/pubapi/v1/webhooks", ADMIN, registration("/hooks/a"));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(body(r).path("errorMessage").asText()).isEqualTo("Insufficient scope: Egnyte.webhooks");
        assertThat(call("GET", "/pubapi/v1/webhooks", ADMIN, null).statusCode()).isEqualTo(403);
    }

    @Test
    void aTokenAuthorizedWithoutTheWebhooksScopeIsRefusedAndOneWithItIsNot() throws Exception {
        String filesOnly = authorizeAndExchange("Egnyte.filesystem");
        String withWebhooks = authorizeAndExchange("Egnyte.filesystem Egnyte.webhooks");

        assertThat(call("GET", "/pubapi/v1/webhooks", filesOnly, null).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/pubapi/v1/events/cursor", filesOnly, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/pubapi/v1/webhooks", withWebhooks, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aNonAdminUserIsRefused() throws Exception {
        egnyte.notAdmin(ADMIN);

        HttpResponse<String> r = call("POST", "/pubapi/v1/webhooks", ADMIN, registration("/hooks/a"));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(body(r).path("errorMessage").asText()).isEqualTo("Only domain administrators can manage webhooks");
    }

    @Test
    void theDomainsRegistrationLimitCountsEveryTokenAndAnswers409PastIt() throws Exception {
        egnyte.registerToken("other-admin").webhookLimit(2);
        register(registration("/hooks/a"));
        assertThat(call("POST", "/pubapi/v1/webhooks", "other-admin", registration("/hooks/b")).statusCode())
                .isEqualTo(200);

        HttpResponse<String> third = call("POST", "/pubapi/v1/webhooks", "other-admin", registration("/hooks/c"));

        assertThat(third.statusCode()).isEqualTo(409);
        assertThat(body(third).path("errorMessage").asText()).isNotBlank();
        assertThat(egnyte.webhooks()).hasSize(2);
    }

    @Test
    void theUrlMustBeHttpsExceptPlainHttpToLoopback() throws Exception {
        assertThat(call("POST", "/pubapi/v1/webhooks", ADMIN, json.createObjectNode()).statusCode()).isEqualTo(400);
        HttpResponse<String> plainHttp = call("POST", "/pubapi/v1/webhooks", ADMIN,
                json.createObjectNode().put("url", "http://hooks.example.com/egnyte"));
        assertThat(plainHttp.statusCode()).isEqualTo(400);
        assertThat(body(plainHttp).path("errorMessage").asText()).contains("https");

        for (String ok : List.of("https://hooks.example.com/egnyte", "http://127.0.0.1:9/x", "http://localhost:9/x",
                "http://[::1]:9/x")) {
            assertThat(call("POST", "/pubapi/v1/webhooks", ADMIN, json.createObjectNode().put("url", ok)).statusCode())
                    .as(ok).isEqualTo(200);
        }
    }

    @Test
    void atMostAHundredFoldersMayBeWatched() throws Exception {
        String hundred = String.join(",", IntStream.rangeClosed(1, 100).mapToObj(i -> "/Shared/f" + i).toList());

        assertThat(call("POST", "/pubapi/v1/webhooks", ADMIN, registration("/hooks/a").put("path", hundred))
                .statusCode()).isEqualTo(200);
        assertThat(call("POST", "/pubapi/v1/webhooks", ADMIN, registration("/hooks/a")
                .put("path", hundred + ",/Shared/f101")).statusCode()).isEqualTo(400);
    }

    @Test
    void webhookCallsNeedAValidTokenAndSufferInjectedFaults() throws Exception {
        assertThat(call("GET", "/pubapi/v1/webhooks", "unknown", null).statusCode()).isEqualTo(401);
        egnyte.failNext(1, 503);
        assertThat(call("GET", "/pubapi/v1/webhooks", ADMIN, null).statusCode()).isEqualTo(503);
        assertThat(call("GET", "/pubapi/v1/webhooks", ADMIN, null).statusCode()).isEqualTo(200);
    }

    @Test
    void otherMethodsAre405AndOtherPathsAre404() throws Exception {
        String id = register(registration("/hooks/a"));

        assertThat(call("DELETE", "/pubapi/v1/webhooks", ADMIN, null).statusCode()).isEqualTo(405);
        assertThat(call("GET", "/pubapi/v1/webhooks/" + id, ADMIN, null).statusCode()).isEqualTo(405);
        assertThat(call("PUT", "/pubapi/v1/webhooks/" + id + "/details", ADMIN, null).statusCode()).isEqualTo(405);
        assertThat(call("GET", "/pubapi/v1/webhooks/" + id + "/history", ADMIN, null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/pubapi/v1/events/cursor", ADMIN, null).statusCode()).isEqualTo(405);
    }

    @Test
    void putReplacesTheRegistrationAndRenewsIt() throws Exception {
        String id = register(registration("/hooks/a"));
        clock.advance(Duration.ofDays(3));

        HttpResponse<String> put = call("PUT", "/pubapi/v1/webhooks/" + id, ADMIN,
                registration("/hooks/b").put("path", "/Shared/b"));

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(body(put).path("webhookId").asText()).isEqualTo(id);
        assertThat(body(put).path("expires").asLong()).isEqualTo(clock.instant().plus(Duration.ofDays(7)).getEpochSecond());
        assertThat(body(put).path("status").asText()).isEqualTo("enabled");
        SimulatedWebhook hook = egnyte.webhooks().get(0);
        assertThat(hook.url()).isEqualTo(receiver.url("/hooks/b"));
        assertThat(hook.paths()).containsExactly("/Shared/b");
        assertThat(hook.createdAt()).isEqualTo(START);

        assertThat(call("PUT", "/pubapi/v1/webhooks/" + id, ADMIN, json.createObjectNode()).statusCode()).isEqualTo(400);
        assertThat(call("PUT", "/pubapi/v1/webhooks/no-such-id", ADMIN, registration("/hooks/b")).statusCode())
                .isEqualTo(404);
    }

    @Test
    void deleteRemovesTheRegistration() throws Exception {
        String id = register(registration("/hooks/a"));

        assertThat(call("DELETE", "/pubapi/v1/webhooks/" + id, ADMIN, null).statusCode()).isEqualTo(204);

        assertThat(egnyte.webhooks()).isEmpty();
        assertThat(body(call("GET", "/pubapi/v1/webhooks", ADMIN, null)).path("webhooks")).isEmpty();
        assertThat(call("DELETE", "/pubapi/v1/webhooks/" + id, ADMIN, null).statusCode()).isEqualTo(404);
    }

    @Test
    void theStatusCanBeReadAndSet() throws Exception {
        String id = register(registration("/hooks/a"));
        String status = "/pubapi/v1/webhooks/" + id + "/status";

        assertThat(body(call("GET", status, ADMIN, null)).path("status").asText()).isEqualTo("enabled");
        HttpResponse<String> disabled = call("POST", status, ADMIN, json.createObjectNode().put("status", "disabled"));
        assertThat(disabled.statusCode()).isEqualTo(200);
        assertThat(body(disabled).path("status").asText()).isEqualTo("disabled");
        assertThat(body(call("GET", status, ADMIN, null)).path("status").asText()).isEqualTo("disabled");

        assertThat(call("POST", status, ADMIN, json.createObjectNode().put("status", "paused")).statusCode())
                .isEqualTo(400);
        assertThat(call("GET", "/pubapi/v1/webhooks/no-such-id/status", ADMIN, null).statusCode()).isEqualTo(404);
    }

    @Test
    void anExpiredRegistrationIsGoneAndPushesNothing() throws Exception {
        String expiring = register(registration("/hooks/expiring"));
        String live = register(registration("/hooks/live"));
        egnyte.expireWebhook(expiring);

        assertThat(call("GET", "/pubapi/v1/webhooks/" + expiring + "/details", ADMIN, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/pubapi/v1/webhooks/" + expiring + "/status", ADMIN, null).statusCode()).isEqualTo(404);
        assertThat(call("PUT", "/pubapi/v1/webhooks/" + expiring, ADMIN, registration("/hooks/expiring")).statusCode())
                .isEqualTo(404);
        assertThat(call("DELETE", "/pubapi/v1/webhooks/" + expiring, ADMIN, null).statusCode()).isEqualTo(404);
        assertThat(body(call("GET", "/pubapi/v1/webhooks", ADMIN, null)).findValuesAsText("webhookId"))
                .containsExactly(live);

        egnyte.addEvent("create", "/Shared/a/report.docx", false);

        await().atMost(WAIT).until(() -> receiver.received("/hooks/live").size() == 1);
        assertThat(receiver.received("/hooks/expiring")).isEmpty();
    }

    @Test
    void aRegistrationExpiresOnTheSimulatorsClockUnlessRenewed() throws Exception {
        egnyte.webhookTtl(Duration.ofHours(1));
        String renewed = register(registration("/hooks/renewed"));
        String forgotten = register(registration("/hooks/forgotten"));
        clock.advance(Duration.ofMinutes(50));
        call("PUT", "/pubapi/v1/webhooks/" + renewed, ADMIN, registration("/hooks/renewed"));
        clock.advance(Duration.ofMinutes(20));

        assertThat(egnyte.webhooks()).extracting(SimulatedWebhook::webhookId).containsExactly(renewed);
        assertThat(call("GET", "/pubapi/v1/webhooks/" + forgotten + "/details", ADMIN, null).statusCode())
                .isEqualTo(404);
    }

    // ------------------------------------------------------------------ pushing

    @Test
    void aMatchingEventIsPushedWithTheRegisteredHeaderAsAJsonArray() throws Exception {
        String id = register(registration("/hooks/a").put("path", "/Shared/Projects")
                .put("authHeader", "X-Hook-Key").put("authHeaderValue", "s3cret"));

        long eventId = egnyte.addEvent("move", "/Shared/Projects/plan.docx", false);

        await().atMost(WAIT).until(() -> receiver.received("/hooks/a").size() == 1);
        CallbackSink.Received push = receiver.received("/hooks/a").get(0);
        assertThat(push.header("X-Hook-Key")).isEqualTo("s3cret");
        assertThat(push.header("Content-Type")).isEqualTo("application/json");
        JsonNode events = json.readTree(push.body());
        assertThat(events.isArray()).isTrue();
        assertThat(events).hasSize(1);
        JsonNode e = events.get(0);
        assertThat(e.path("eventId").asText()).isEqualTo(Long.toString(eventId));
        assertThat(e.path("domain").asText()).isEqualTo(EgnyteSimulator.SIMULATED_DOMAIN);
        assertThat(e.path("timestamp").asLong()).isEqualTo(START.getEpochSecond());
        assertThat(e.path("user").path("id").asInt()).isEqualTo(1);
        assertThat(e.path("user").path("username").asText()).isNotBlank();
        assertThat(e.path("user").path("email").asText()).contains("@");
        assertThat(e.path("actionSource").asText()).isEqualTo("WebUI");
        assertThat(e.path("eventType").asText()).isEqualTo("fs:move_file");
        assertThat(e.path("webhookId").asText()).isEqualTo(id);
        assertThat(e.path("data").path("target_path").asText()).isEqualTo("/Shared/Projects/plan.docx");
        assertThat(e.path("data").path("source_path").asText()).isEqualTo("/Shared/Inbox/plan.docx");
        assertThat(e.path("data").path("is_folder").asBoolean()).isFalse();
    }

    @Test
    void aLoneAuthHeaderIsSentAsTheAuthenticationHeader() throws Exception {
        register(registration("/hooks/a").put("authHeader", "Token XYZ"));

        egnyte.addEvent("create", "/Shared/a", true);

        await().atMost(WAIT).until(() -> receiver.received("/hooks/a").size() == 1);
        assertThat(receiver.received("/hooks/a").get(0).header("Authentication")).isEqualTo("Token XYZ");
        assertThat(json.readTree(receiver.received("/hooks/a").get(0).body()).get(0).path("eventType").asText())
                .isEqualTo("fs:add_folder");
    }

    @Test
    void eventsOutsideTheFoldersOrEventTypesAreNotPushed() throws Exception {
        register(registration("/hooks/a").put("path", "/Shared/Projects")
                .set("eventType", json.createArrayNode().add("fs:add_file")));

        egnyte.addEvent("create", "/Shared/Finance/budget.xlsx", false);        // other folder
        egnyte.addEvent("create", "/Shared/ProjectsArchive/old.txt", false);    // a sibling, not below
        egnyte.addEvent("delete", "/Shared/Projects/plan.docx", false);        // other event type
        egnyte.addNoteEvent("create", "/Shared/Projects/plan.docx");            // a note
        long wanted = egnyte.addEvent("create", "/Shared/Projects/q3/plan.docx", false);

        await().atMost(WAIT).until(() -> egnyte.pushes().stream().anyMatch(WebhookPush::delivered));
        assertThat(pushedEventIds()).containsExactly(Long.toString(wanted));
    }

    @Test
    void fsWildcardSkipsNotesWhileAnOmittedEventTypeGetsEverything() throws Exception {
        register(registration("/hooks/fs"));
        register(json.createObjectNode().put("url", receiver.url("/hooks/all")));

        egnyte.addNoteEvent("create", "/Shared/Projects/plan.docx");
        egnyte.addEvent("delete", "/Shared/Projects/plan.docx", false);

        await().atMost(WAIT).until(() -> eventTypesReceived("/hooks/all").size() == 2);
        assertThat(eventTypesReceived("/hooks/all")).containsExactly("note:add", "fs:delete_file");
        await().atMost(WAIT).until(() -> !receiver.received("/hooks/fs").isEmpty());
        assertThat(eventTypesReceived("/hooks/fs")).containsExactly("fs:delete_file");
    }

    @Test
    void eventsFromBulkInsertsAndTheGeneratorArePushedToo() throws Exception {
        register(json.createObjectNode().put("url", receiver.url("/hooks/all")));

        long last = egnyte.addEvents(3);
        await().atMost(WAIT).until(() -> pushedEventIds().size() == 3);
        assertThat(pushedEventIds()).containsExactly(Long.toString(last - 2), Long.toString(last - 1),
                Long.toString(last));

        egnyte.startGeneratingEvents(Duration.ofMillis(20));
        await().atMost(WAIT).until(() -> pushedEventIds().size() >= 5);
        egnyte.stopGeneratingEvents();
    }

    @Test
    void aFailedPushIsRetriedUntilTheReceiverTakesIt() throws Exception {
        egnyte.pushRetryDelays(List.of(Duration.ofMillis(50), Duration.ofMillis(100)));
        receiver.failNext("/hooks/a", 1, 500);
        register(registration("/hooks/a"));

        long id = egnyte.addEvent("create", "/Shared/a.txt", false);

        await().atMost(WAIT).until(() -> receiver.received("/hooks/a").size() == 2);
        List<CallbackSink.Received> received = receiver.received("/hooks/a");
        assertThat(received).extracting(CallbackSink.Received::status).containsExactly(500, 200);
        assertThat(received.get(1).body()).isEqualTo(received.get(0).body());
        await().atMost(WAIT).until(() -> egnyte.pushes().size() == 2);
        assertThat(egnyte.pushes()).extracting(WebhookPush::attempt, WebhookPush::status)
                .containsExactly(tuple(0, 500), tuple(1, 200));
        assertThat(egnyte.pushes().get(1).eventIds()).containsExactly(Long.toString(id));
    }

    @Test
    void anUnreachableReceiverCountsAsAFailedPush() throws Exception {
        CallbackSink gone = new CallbackSink().start();
        String url = gone.url("/hooks/gone");
        gone.close();
        egnyte.pushRetryDelays(List.of());
        register(json.createObjectNode().put("url", url));

        egnyte.addEvent("create", "/Shared/a.txt", false);

        await().atMost(WAIT).until(() -> egnyte.webhooks().get(0).failures() == 1);
        assertThat(egnyte.pushes()).extracting(WebhookPush::status).containsExactly(-1);
    }

    @Test
    void repeatedPermanentFailuresDisableTheWebhookUntilItIsEnabledAgain() throws Exception {
        egnyte.pushRetryDelays(List.of(Duration.ofMillis(10))).pushFailuresToDisable(2);
        receiver.respondWith("/hooks/a", 500);
        String id = register(registration("/hooks/a"));

        egnyte.addEvent("create", "/Shared/1.txt", false);
        await().atMost(WAIT).until(() -> egnyte.webhooks().get(0).failures() == 1);
        assertThat(egnyte.webhooks().get(0).enabled()).isTrue();
        egnyte.addEvent("create", "/Shared/2.txt", false);
        await().atMost(WAIT).until(() -> !egnyte.webhooks().get(0).enabled());
        assertThat(body(call("GET", "/pubapi/v1/webhooks/" + id + "/status", ADMIN, null)).path("status").asText())
                .isEqualTo("disabled");
        assertThat(egnyte.pushes()).hasSize(4); // two pushes, each tried twice

        long whileDisabled = egnyte.addEvent("create", "/Shared/3.txt", false);
        receiver.reset("/hooks/a");
        assertThat(call("POST", "/pubapi/v1/webhooks/" + id + "/status", ADMIN,
                json.createObjectNode().put("status", "enabled")).statusCode()).isEqualTo(200);
        assertThat(egnyte.webhooks().get(0).failures()).isZero();
        long afterEnabling = egnyte.addEvent("create", "/Shared/4.txt", false);

        await().atMost(WAIT).until(() -> egnyte.pushes().stream().anyMatch(WebhookPush::delivered));
        assertThat(pushedEventIds()).contains(Long.toString(afterEnabling))
                .doesNotContain(Long.toString(whileDisabled));
    }

    @Test
    void disableWebhookStopsPushesAsEgnyteDoes() throws Exception {
        String off = register(registration("/hooks/off"));
        register(registration("/hooks/on"));
        egnyte.disableWebhook(off);

        egnyte.addEvent("create", "/Shared/a.txt", false);

        await().atMost(WAIT).until(() -> receiver.received("/hooks/on").size() == 1);
        assertThat(receiver.received("/hooks/off")).isEmpty();
        assertThat(egnyte.webhooks()).filteredOn(h -> h.webhookId().equals(off))
                .extracting(SimulatedWebhook::status).containsExactly("disabled");
    }

    @Test
    void aDroppedPushIsLostForGood() throws Exception {
        register(registration("/hooks/a"));
        egnyte.dropNextPushes(1);

        long lost = egnyte.addEvent("create", "/Shared/lost.txt", false);
        await().atMost(WAIT).until(() -> egnyte.pushes().size() == 1);
        long kept = egnyte.addEvent("create", "/Shared/kept.txt", false);

        await().atMost(WAIT).until(() -> receiver.received("/hooks/a").size() == 1);
        assertThat(eventIdsReceived("/hooks/a")).containsExactly(Long.toString(kept));
        WebhookPush dropped = egnyte.pushes().get(0);
        assertThat(dropped.dropped()).isTrue();
        assertThat(dropped.eventIds()).containsExactly(Long.toString(lost));
    }

    @Test
    void aBurstOfEventsIsPushedAsOneArrayInEventIdOrder() throws Exception {
        egnyte.pushBatchWindow(Duration.ofMillis(500));
        register(registration("/hooks/a"));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(Long.toString(egnyte.addEvent("create", "/Shared/burst-" + i + ".txt", false)));
        }

        await().atMost(WAIT).until(() -> receiver.received("/hooks/a").size() == 1);
        assertThat(eventIdsReceived("/hooks/a")).containsExactlyElementsOf(ids);
    }

    @Test
    void eventsAddedWhileAPushIsInFlightGoTogetherInTheNextPush() throws Exception {
        egnyte.pushBatchWindow(Duration.ZERO);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger arrived = new AtomicInteger();
        HttpServer holding = SandboxHttp.loopbackServer(0);
        holding.createContext("/", exchange -> {
            arrived.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        holding.setExecutor(Executors.newCachedThreadPool());
        holding.start();
        try {
            register(json.createObjectNode().put("url", "http://127.0.0.1:" + holding.getAddress().getPort() + "/hold"));

            String first = Long.toString(egnyte.addEvent("create", "/Shared/first.txt", false));
            await().atMost(WAIT).until(() -> arrived.get() == 1);
            String second = Long.toString(egnyte.addEvent("create", "/Shared/second.txt", false));
            String third = Long.toString(egnyte.addEvent("create", "/Shared/third.txt", false));
            release.countDown();

            await().atMost(WAIT).until(() -> egnyte.pushes().size() == 2);
            assertThat(egnyte.pushes()).extracting(WebhookPush::eventIds)
                    .containsExactly(List.of(first), List.of(second, third));
        } finally {
            release.countDown();
            holding.stop(0);
        }
    }

    @Test
    void addingAnEventNeverWaitsForTheReceiver() throws Exception {
        receiver.delay("/hooks/a", 2_000);
        register(registration("/hooks/a"));

        egnyte.addEvent("create", "/Shared/a.txt", false);

        assertThat(receiver.allReceived()).isEmpty();
        await().atMost(WAIT).until(() -> receiver.received("/hooks/a").size() == 1);
    }

    // ------------------------------------------------------------------ helpers

    private ObjectNode registration(String receiverPath) {
        ObjectNode o = json.createObjectNode().put("url", receiver.url(receiverPath));
        o.putArray("eventType").add("fs:*");
        return o;
    }

    private String register(ObjectNode registration) throws Exception {
        HttpResponse<String> r = call("POST", "/pubapi/v1/webhooks", ADMIN, registration);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return body(r).path("webhookId").asText();
    }

    private List<String> pushedEventIds() {
        return egnyte.pushes().stream().filter(WebhookPush::delivered).flatMap(p -> p.eventIds().stream()).toList();
    }

    private List<String> eventIdsReceived(String path) throws IOException {
        return fieldReceived(path, "eventId");
    }

    private List<String> eventTypesReceived(String path) throws IOException {
        return fieldReceived(path, "eventType");
    }

    private List<String> fieldReceived(String path, String field) throws IOException {
        List<String> values = new ArrayList<>();
        for (CallbackSink.Received r : receiver.received(path)) {
            json.readTree(r.body()).forEach(e -> values.add(e.path(field).asText()));
        }
        return values;
    }

    private String authorizeAndExchange(String scope) throws Exception {
        HttpResponse<String> authorized = call("GET", "/puboauth/token?client_id=key&response_type=code&redirect_uri="
                + URLEncoder.encode("https://bridge.example.com/callback", StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8), null, null);
        String location = authorized.headers().firstValue("Location").orElseThrow();
        String code = SandboxHttp.parseForm(URI.create(location).getRawQuery()).get("code");
        HttpResponse<String> exchanged = http.send(HttpRequest.newBuilder(URI.create(egnyte.baseUrl() + "/puboauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code="
                        + URLEncoder.encode(code, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        return body(exchanged).path("access_token").asText();
    }

    private HttpResponse<String> call(String method, String pathAndQuery, String token, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(egnyte.baseUrl() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> response) throws IOException {
        return json.readTree(response.body());
    }

    /** A clock the test moves by hand, for expiry and renewal. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
