package dev.egnytebridge.delivery;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.delivery.WebhookReceiver.Reply;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceSecrets;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.poller.PolledObject;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The outbox delivered by the real routes to real HTTP endpoints on loopback. */
class DeliveryRoutesTest extends BridgeTestSupport {

    private static final String PLAIN_KEY = "plain-signature-key-42";
    private static final byte[] WHSEC_BYTES = "0123456789abcdef01234567".getBytes(StandardCharsets.UTF_8);
    private static final String WHSEC_KEY = "whsec_" + Base64.getEncoder().encodeToString(WHSEC_BYTES);
    private static final String ACCESS_TOKEN = "egnyte-access-token-secret";
    private static final String API_SECRET = "oauth-api-secret-value";

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        // the receivers run on loopback, which callbacks may only reach with this
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        p.setProperty("bridge.delivery.retry-schedule", "100ms,200ms");
        p.setProperty("bridge.delivery.timeout-ms", "4000");
        // these tests follow single deliveries through their retries: circuits are EndpointIsolationTest's subject
        p.setProperty("bridge.delivery.circuit.failures", "1000");
        return p;
    }

    // --- delivery

    @Test
    void deliversStoredBodyExactlyToEveryCallbackUrl() {
        try (WebhookReceiver first = new WebhookReceiver("first"); WebhookReceiver second = new WebhookReceiver("second")) {
            Instance instance = instance(null);
            Notification n = enqueue(instance, first.url("/hooks/a"), second.url("/hooks/b"));

            awaitStatuses(n, "DELIVERED", "DELIVERED");
            String stored = jdbc().queryForObject("SELECT body FROM notification WHERE event_id = ?", String.class, n.eventId());
            for (WebhookReceiver receiver : List.of(first, second)) {
                assertThat(receiver.requests()).hasSize(1);
                WebhookReceiver.Request request = receiver.requests().get(0);
                assertThat(request.method()).isEqualTo("POST");
                assertThat(request.body()).isEqualTo(n.body()).isEqualTo(stored);
                assertThat(request.header("Content-Type")).isEqualTo("application/json");
                assertThat(request.header("Elements-Webhook-Id")).isEqualTo(n.eventId());
                assertThat(request.header("webhook-id")).isEqualTo(n.eventId());
                assertThat(request.header("Elements-Webhook-Signature")).isNull();
                assertThat(request.header("webhook-signature")).isNull();
            }
            assertThat(first.requests().get(0).pathAndQuery()).isEqualTo("/hooks/a");
            assertThat(second.requests().get(0).pathAndQuery()).isEqualTo("/hooks/b");
        }
    }

    @Test
    void sendsNoInternalHeadersOrSecrets() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            Notification n = enqueue(instance(PLAIN_KEY), receiver.url("/hook"));

            awaitStatuses(n, "DELIVERED");
            Map<String, String> headers = receiver.requests().get(0).headers();
            assertThat(headers.keySet()).noneMatch(h -> h.startsWith("camel") || h.startsWith("breadcrumb"));
            assertThat(headers.values()).noneMatch(v -> v.contains(PLAIN_KEY) || v.contains(ACCESS_TOKEN)
                    || v.contains(API_SECRET) || v.contains(ENCRYPTION_KEY));
        }
    }

    @Test
    void keepsTheCallbackUrlsQueryString() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            String pathAndQuery = "/in/hook?token=a%2Bb%3D&tenant=x%20y&flag";
            Notification n = enqueue(instance(null), receiver.url(pathAndQuery));

            awaitStatuses(n, "DELIVERED");
            assertThat(receiver.requests().get(0).pathAndQuery()).isEqualTo(pathAndQuery);
        }
    }

    // --- signatures

    @Test
    void signsBothWaysWithAPlainKey() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            Notification n = enqueue(instance(PLAIN_KEY), receiver.url("/hook"));

            awaitStatuses(n, "DELIVERED");
            WebhookReceiver.Request request = receiver.requests().get(0);
            byte[] key = PLAIN_KEY.getBytes(StandardCharsets.UTF_8);
            assertThat(request.header("Elements-Webhook-Signature")).isEqualTo("sha256=" + hmacBase64(key, request.body()));
            assertStandardWebhookSignature(request, key);
        }
    }

    @Test
    void signsStandardWebhooksWithTheDecodedWhsecKey() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            Notification n = enqueue(instance(WHSEC_KEY), receiver.url("/hook"));

            awaitStatuses(n, "DELIVERED");
            WebhookReceiver.Request request = receiver.requests().get(0);
            assertStandardWebhookSignature(request, WHSEC_BYTES);
            // the Cloud Elements signature uses the key as given
            assertThat(request.header("Elements-Webhook-Signature"))
                    .isEqualTo("sha256=" + hmacBase64(WHSEC_KEY.getBytes(StandardCharsets.UTF_8), request.body()));
        }
    }

    // --- retries and outcomes

    @Test
    void retriesAServerErrorWithTheSameEventIdUntilDelivered() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver").replying(i -> Reply.status(i < 2 ? 500 : 200))) {
            Notification n = enqueue(instance(PLAIN_KEY), receiver.url("/hook"));

            awaitStatuses(n, "DELIVERED");
            assertThat(receiver.requests()).hasSize(3);
            assertThat(receiver.requests()).allSatisfy(r -> {
                assertThat(r.header("webhook-id")).isEqualTo(n.eventId());
                assertThat(r.header("Elements-Webhook-Id")).isEqualTo(n.eventId());
                assertThat(r.body()).isEqualTo(n.body());
            });
            DeliveryHistory.EndpointHistory endpoint = history().find(n.eventId()).orElseThrow().endpoints().get(0);
            assertThat(endpoint.attemptCount()).isEqualTo(3);
            assertThat(endpoint.attempts()).extracting(DeliveryHistory.AttemptHistory::httpStatus).containsExactly(500, 500, 200);
            assertThat(endpoint.attempts()).extracting(DeliveryHistory.AttemptHistory::date).isSorted();
        }
    }

    @Test
    void stopsDeliveringToAnEndpointThatIsGoneOnly() {
        try (WebhookReceiver gone = new WebhookReceiver("gone").replying(i -> Reply.status(410));
             WebhookReceiver failing = new WebhookReceiver("failing").replying(i -> Reply.status(i < 1 ? 500 : 200))) {
            Notification n = enqueue(instance(null), gone.url("/hook"), failing.url("/hook"));

            awaitStatuses(n, "GONE", "DELIVERED");
            assertThat(gone.requests()).hasSize(1);
            assertThat(failing.requests()).hasSize(2);
            assertThat(history().find(n.eventId()).orElseThrow().status()).isEqualTo("FAILED");
        }
    }

    @Test
    void deadLettersAfterTheRetryScheduleIsExhausted() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver").replying(i -> Reply.status(500))) {
            Notification n = enqueue(instance(null), receiver.url("/hook"));

            awaitStatuses(n, "FAILED");
            assertThat(receiver.requests()).hasSize(3);
            Map<String, Object> row = jdbc().queryForMap("SELECT attempts, last_http_status FROM delivery WHERE event_id = ?",
                    n.eventId());
            assertThat(((Number) row.get("ATTEMPTS")).intValue()).isEqualTo(3);
            assertThat(((Number) row.get("LAST_HTTP_STATUS")).intValue()).isEqualTo(500);
            assertThat(history().find(n.eventId()).orElseThrow().status()).isEqualTo("FAILED");
        }
    }

    @Test
    void treatsARedirectAsAFailedAttemptWithoutFollowingIt() {
        try (WebhookReceiver target = new WebhookReceiver("target");
             WebhookReceiver redirecting = new WebhookReceiver("redirecting")
                     .replying(i -> Reply.status(302, Map.of("Location", target.url("/elsewhere"))))) {
            Notification n = enqueue(instance(null), redirecting.url("/hook"));

            awaitStatuses(n, "FAILED");
            assertThat(target.requests()).isEmpty();
            assertThat(history().find(n.eventId()).orElseThrow().endpoints().get(0).attempts())
                    .extracting(DeliveryHistory.AttemptHistory::httpStatus).containsOnly(302);
        }
    }

    @Test
    void honoursRetryAfterLongerThanTheScheduledDelay() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")
                .replying(i -> i == 0 ? Reply.status(503, Map.of("Retry-After", "2")) : Reply.status(200))) {
            Notification n = enqueue(instance(null), receiver.url("/hook"));

            await().atMost(10, SECONDS).until(() -> attemptCount(n) == 1 && statuses(n).equals(List.of("RETRYING")));
            Map<String, Object> row = jdbc().queryForMap("SELECT d.next_attempt_at, a.attempted_at, a.duration_ms "
                    + "FROM delivery d JOIN delivery_attempt a ON a.delivery_id = d.id WHERE d.event_id = ?", n.eventId());
            Instant attempted = ((Timestamp) row.get("ATTEMPTED_AT")).toInstant();
            long duration = ((Number) row.get("DURATION_MS")).longValue();
            Instant next = ((Timestamp) row.get("NEXT_ATTEMPT_AT")).toInstant();
            // the schedule alone would wait 100ms +/- 20%
            assertThat(Duration.between(attempted.plusMillis(duration), next)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
            awaitStatuses(n, "DELIVERED");
            assertThat(receiver.requests()).hasSize(2);
        }
    }

    @Test
    void recordsARefusedConnectionAsAFailedAttempt() {
        String url = "http://127.0.0.1:" + AvailablePortFinder.getNextAvailable() + "/hook?secret=query-secret";
        Notification n = enqueue(instance(null), url);

        awaitStatuses(n, "FAILED");
        List<DeliveryHistory.AttemptHistory> attempts = history().find(n.eventId()).orElseThrow().endpoints().get(0).attempts();
        assertThat(attempts).hasSize(3).allSatisfy(a -> {
            assertThat(a.httpStatus()).isNull();
            assertThat(a.error()).containsIgnoringCase("refused").doesNotContain("query-secret");
        });
    }

    @Test
    void recordsATimeoutAsAFailedAttempt() {
        CountDownLatch never = new CountDownLatch(1);
        try (WebhookReceiver stuck = new WebhookReceiver("stuck").replying(i -> Reply.after(never, 15_000, 200))) {
            Notification n = enqueue(instance(null), stuck.url("/hook"));

            await().atMost(20, SECONDS).until(() -> attemptCount(n) >= 1);
            DeliveryHistory.AttemptHistory attempt = history().find(n.eventId()).orElseThrow().endpoints().get(0).attempts().get(0);
            assertThat(attempt.httpStatus()).isNull();
            assertThat(attempt.error()).containsIgnoringCase("timeout");
        } finally {
            never.countDown();
        }
    }

    // --- isolation

    @Test
    void aSlowEndpointDoesNotDelayAFastOneOfTheSameNotification() {
        List<String> timeline = new CopyOnWriteArrayList<>();
        CountDownLatch fastReceived = new CountDownLatch(1);
        try (WebhookReceiver slow = new WebhookReceiver("slow", timeline)
                     .replying(i -> Reply.after(fastReceived, 3_000, 200));
             WebhookReceiver fast = new WebhookReceiver("fast", timeline).replying(i -> {
                 fastReceived.countDown();
                 return Reply.status(200);
             })) {
            Notification n = enqueue(instance(null), slow.url("/hook"), fast.url("/hook"));

            awaitStatuses(n, "DELIVERED", "DELIVERED");
            assertThat(timeline.indexOf("fast:received")).isLessThan(timeline.indexOf("slow:answered"));
        }
    }

    @Test
    void aSlowEndpointDoesNotDelayLaterNotifications() {
        List<String> timeline = new CopyOnWriteArrayList<>();
        CountDownLatch fastReceived = new CountDownLatch(1);
        try (WebhookReceiver slow = new WebhookReceiver("slow", timeline)
                     .replying(i -> Reply.after(fastReceived, 3_000, 200));
             WebhookReceiver fast = new WebhookReceiver("fast", timeline).replying(i -> {
                 fastReceived.countDown();
                 return Reply.status(200);
             })) {
            Instance instance = instance(null);
            Notification first = enqueue(instance, slow.url("/hook"));
            await().atMost(10, SECONDS).until(() -> timeline.contains("slow:received"));
            Notification second = enqueue(instance, fast.url("/hook"));

            awaitStatuses(first, "DELIVERED");
            awaitStatuses(second, "DELIVERED");
            assertThat(timeline.indexOf("fast:received")).isLessThan(timeline.indexOf("slow:answered"));
        }
    }

    // --- replay, transactions, history

    @Test
    void retryRedeliversAFailedNotification() {
        AtomicInteger answers = new AtomicInteger();
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")
                .replying(i -> Reply.status(answers.incrementAndGet() <= 3 ? 500 : 200))) {
            Notification n = enqueue(instance(null), receiver.url("/hook"));
            awaitStatuses(n, "FAILED");

            assertThat(history().retry(n.eventId())).isEqualTo(1);

            awaitStatuses(n, "DELIVERED");
            assertThat(receiver.requests()).hasSize(4).allSatisfy(r -> assertThat(r.header("webhook-id")).isEqualTo(n.eventId()));
            DeliveryHistory.NotificationHistory h = history().find(n.eventId()).orElseThrow();
            assertThat(h.status()).isEqualTo("DELIVERED");
            assertThat(h.endpoints().get(0).attempts()).extracting(DeliveryHistory.AttemptHistory::httpStatus)
                    .containsExactly(500, 500, 500, 200);
            assertThat(history().retry(n.eventId())).isZero();
        }
    }

    @Test
    void retryFailedRequeuesEveryFailedDeliveryOfTheInstance() {
        AtomicInteger answers = new AtomicInteger();
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")
                .replying(i -> Reply.status(answers.incrementAndGet() <= 6 ? 500 : 200))) {
            Instance instance = instance(null);
            Notification a = enqueue(instance, receiver.url("/a"));
            Notification b = enqueue(instance, receiver.url("/b"));
            awaitStatuses(a, "FAILED");
            awaitStatuses(b, "FAILED");

            assertThat(history().retryFailed(instance.id())).isEqualTo(2);

            awaitStatuses(a, "DELIVERED");
            awaitStatuses(b, "DELIVERED");
        }
    }

    @Test
    void anEnqueueRolledBackLeavesNothing() {
        DataSourceTransactionManager tm = context.getRegistry()
                .lookupByNameAndType("transactionManager", DataSourceTransactionManager.class);
        Instance instance = instance(null);
        Notification n = factory().build(instance, "events", List.of(polled("1")));

        new TransactionTemplate(tm).executeWithoutResult(tx -> {
            outbox().enqueue(n, List.of("http://127.0.0.1:9/hook"));
            assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM delivery WHERE event_id = ?", Integer.class, n.eventId()))
                    .isEqualTo(1);
            tx.setRollbackOnly();
        });

        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM notification WHERE event_id = ?", Integer.class, n.eventId()))
                .isZero();
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM delivery WHERE event_id = ?", Integer.class, n.eventId()))
                .isZero();
    }

    @Test
    void historyListsAnInstancesNotificationsNewestFirst() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            Instance instance = instance(null);
            Notification older = enqueue(instance, receiver.url("/hook"));
            Notification newer = enqueue(instance, receiver.url("/hook"));
            awaitStatuses(older, "DELIVERED");
            awaitStatuses(newer, "DELIVERED");
            jdbc().update("UPDATE notification SET created_at = ? WHERE event_id = ?",
                    Timestamp.from(Instant.now().minusSeconds(60)), older.eventId());

            List<DeliveryHistory.NotificationHistory> page1 = history().listForInstance(instance.id(), 1, 1);
            List<DeliveryHistory.NotificationHistory> page2 = history().listForInstance(instance.id(), 2, 1);

            assertThat(page1).extracting(DeliveryHistory.NotificationHistory::eventId).containsExactly(newer.eventId());
            assertThat(page2).extracting(DeliveryHistory.NotificationHistory::eventId).containsExactly(older.eventId());
            DeliveryHistory.NotificationHistory h = page1.get(0);
            assertThat(h.status()).isEqualTo("DELIVERED");
            assertThat(h.objectCount()).isEqualTo(2);
            assertThat(h.endpoints()).singleElement().satisfies(e -> {
                assertThat(e.url()).isEqualTo(receiver.url("/hook"));
                assertThat(e.status()).isEqualTo("DELIVERED");
                assertThat(e.attempts()).singleElement().extracting(DeliveryHistory.AttemptHistory::httpStatus).isEqualTo(200);
            });
            assertThat(history().listForInstance(instance.id(), 3, 1)).isEmpty();
            assertThat(history().find("no-such-event")).isEmpty();
        }
    }

    // --- helpers

    private void assertStandardWebhookSignature(WebhookReceiver.Request request, byte[] key) throws Exception {
        String id = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        assertThat(Long.parseLong(timestamp)).isBetween(Instant.now().getEpochSecond() - 300, Instant.now().getEpochSecond() + 5);
        String expected = "v1," + hmacBase64(key, id + "." + timestamp + "." + request.body());
        assertThat(request.header("webhook-signature").split(" ")).contains(expected);
    }

    private static String hmacBase64(byte[] key, String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }

    private Instance instance(String signatureKey) {
        InstanceStore store = context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class);
        ObjectNode configuration = mapper.createObjectNode().put("subdomain", "acme");
        return store.insert("alice", "API_Polling", "egnyte", "acme", configuration,
                new InstanceSecrets(ACCESS_TOKEN, API_SECRET, signatureKey), List.of("Test"), true,
                UUID.randomUUID().toString().replace("-", ""));
    }

    private Notification enqueue(Instance instance, String... urls) {
        Notification n = factory().build(instance, "events", List.of(polled("16342"), polled("16343")));
        outbox().enqueue(n, List.of(urls));
        return n;
    }

    private PolledObject polled(String id) {
        ObjectNode raw = mapper.createObjectNode().put("id", Long.parseLong(id)).put("action", "create")
                .put("timestamp", "2025-05-28T11:41:12.000Z");
        return new PolledObject("events", id, "CREATED", "2025-05-28T11:41:12Z", raw, "events:" + id);
    }

    private void awaitStatuses(Notification n, String... expected) {
        await().atMost(20, SECONDS).until(() -> statuses(n).equals(List.of(expected)));
    }

    private List<String> statuses(Notification n) {
        return jdbc().queryForList("SELECT status FROM delivery WHERE event_id = ? ORDER BY id", String.class, n.eventId());
    }

    private int attemptCount(Notification n) {
        Integer count = jdbc().queryForObject("SELECT COUNT(*) FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id "
                + "WHERE d.event_id = ?", Integer.class, n.eventId());
        return count == null ? 0 : count;
    }

    private JdbcTemplate jdbc() {
        return context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
    }

    private Outbox outbox() {
        return context.getRegistry().lookupByNameAndType("outbox", Outbox.class);
    }

    private NotificationFactory factory() {
        return context.getRegistry().lookupByNameAndType("notificationFactory", NotificationFactory.class);
    }

    private DeliveryHistory history() {
        return context.getRegistry().lookupByNameAndType("deliveryHistory", DeliveryHistory.class);
    }

    @SuppressWarnings("unused")
    private JsonNode json(String body) throws Exception {
        return mapper.readTree(body);
    }
}
