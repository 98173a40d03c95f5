package dev.egnytebridge.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.delivery.WebhookReceiver.Reply;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.poller.PolledObject;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One endpoint's trouble stays its own: real receivers on loopback (a black hole, failing, throttling and gone
 * endpoints next to healthy ones), the real routes, and the endpoint state in the shared database.
 */
class EndpointIsolationTest extends BridgeTestSupport {

    private static final int PER_ENDPOINT = 2;
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        p.setProperty("bridge.delivery.max-in-flight-per-endpoint", String.valueOf(PER_ENDPOINT));
        // long enough that no black-hole attempt can end during a test: what is delivered meanwhile got past it
        p.setProperty("bridge.delivery.timeout-ms", "60000");
        p.setProperty("bridge.delivery.lease-seconds", "180");
        // a failed delivery would only come back after an hour on its own: what comes back sooner was released
        p.setProperty("bridge.delivery.retry-schedule", "1h");
        p.setProperty("bridge.delivery.retry-jitter", "0");
        p.setProperty("bridge.delivery.circuit.failures", "3");
        p.setProperty("bridge.delivery.circuit.open-seconds", "1");
        // some tests change endpoint state in the database as another node would: the fallback look finds it
        p.setProperty("bridge.standalone.idle-check-ms", "1000");
        return p;
    }

    @Test
    void healthyEndpointIsServedWhileAnotherHangs() throws Exception {
        try (BlackHole hole = new BlackHole(); WebhookReceiver healthy = new WebhookReceiver("healthy")) {
            Instance stuck = instance(null);
            for (int i = 0; i < 20; i++) {
                enqueue(stuck, hole.url("/hook"));
            }
            await().atMost(20, SECONDS).until(() -> hole.connections() == PER_ENDPOINT);

            Instance fine = instance(null);
            List<Notification> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sent.add(enqueue(fine, healthy.url("/hook")));
            }

            await().atMost(20, SECONDS).until(() -> healthy.requests().size() == 5);
            for (Notification n : sent) {
                awaitStatuses(n, "DELIVERED");
            }
            // the black hole holds its lane's slots and no more, and none of its attempts has ended
            assertThat(hole.connections()).isEqualTo(PER_ENDPOINT);
            assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id "
                    + "WHERE d.instance_id = ?", Integer.class, stuck.id())).isZero();
        }
    }

    @Test
    void aBacklogAtOneEndpointDoesNotDelayAnother() {
        CountDownLatch release = new CountDownLatch(1);
        try (WebhookReceiver busy = new WebhookReceiver("busy").replying(i -> Reply.after(release, 60_000, 200));
             WebhookReceiver other = new WebhookReceiver("other")) {
            Instance backlogged = instance(null);
            List<Notification> backlog = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                backlog.add(factory().build(backlogged, "events", List.of(polled(String.valueOf(i)))));
            }
            transactions().executeWithoutResult(tx -> backlog.forEach(n -> outbox().enqueue(n, List.of(busy.url("/hook")))));
            await().atMost(20, SECONDS).until(() -> busy.requests().size() == PER_ENDPOINT);

            Notification n = enqueue(instance(null), other.url("/hook"));

            awaitStatuses(n, "DELIVERED");
            assertThat(busy.requests()).hasSize(PER_ENDPOINT);
            assertThat(pending(backlogged)).isEqualTo(2_000);
            release.countDown();
        } finally {
            release.countDown();
        }
    }

    @Test
    void aDeadEndpointGetsNoAttemptsWhileItsCircuitIsOpen() {
        try (WebhookReceiver dead = new WebhookReceiver("dead").replying(i -> Reply.status(500))) {
            Instance instance = instance(null);
            for (int i = 0; i < 11; i++) {
                enqueue(instance, dead.url("/hook"));
            }

            await().atMost(20, SECONDS).until(() -> openUntil(dead.url("/")) != null);
            int attemptsWhenOpened = dead.requests().size();
            // what was in flight when it opened, and no more
            assertThat(attemptsWhenOpened).isBetween(3, 3 + PER_ENDPOINT);
            // open 1 s, then 2 s after a failed probe: two seconds see one probe, two at the very most; without the
            // circuit every waiting delivery would be attempted at once
            await().during(2, SECONDS).atMost(5, SECONDS).until(() -> dead.requests().size() <= attemptsWhenOpened + 2);
            // waiting behind the circuit uses up no retry
            assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM delivery WHERE instance_id = ? AND attempts = 0 "
                    + "AND status = 'PENDING'", Integer.class, instance.id())).isGreaterThanOrEqualTo(11 - attemptsWhenOpened - 2);
        }
    }

    @Test
    void aProbeThatSucceedsClosesTheCircuitAndItsWaitingDeliveriesGoAtOnce() {
        String[] origin = new String[1];
        java.util.concurrent.atomic.AtomicBoolean opened = new java.util.concurrent.atomic.AtomicBoolean();
        List<Integer> answers = new CopyOnWriteArrayList<>();
        try (WebhookReceiver flaky = new WebhookReceiver("flaky").replying(i -> {
            // down until its circuit has opened, up from then on
            if (openUntil(origin[0]) != null) {
                opened.set(true);
            }
            int status = opened.get() ? 200 : 503;
            answers.add(status);
            return Reply.status(status);
        })) {
            origin[0] = flaky.url("/");
            Instance instance = instance(null);
            List<Notification> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sent.add(enqueue(instance, flaky.url("/hook")));
            }

            // the failed ones wait for a retry an hour away: only the circuit closing brings them back now
            for (Notification n : sent) {
                awaitStatuses(n, "DELIVERED");
            }
            long failures = answers.stream().filter(s -> s == 503).count();
            assertThat(failures).isBetween(3L, 3L + PER_ENDPOINT);
            assertThat(flaky.requests()).hasSize(10 + (int) failures);
            assertThat(openUntil(flaky.url("/"))).isNull();
        }
    }

    @Test
    void anEndpointOpenedElsewhereStaysOpenHere() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver"); WebhookReceiver other = new WebhookReceiver("other")) {
            // as another node of the cluster, or this bridge before a restart, left it in the shared database
            jdbc().update("INSERT INTO delivery_endpoint (origin, consecutive_failures, open_until, open_seconds, updated_at) "
                            + "VALUES (?, 3, ?, 60, ?)", EndpointOrigin.of(receiver.url("/")),
                    Timestamp.from(Instant.now().plus(Duration.ofHours(1))), Timestamp.from(Instant.now()));
            Notification held = enqueue(instance(null), receiver.url("/hook"));
            Notification free = enqueue(instance(null), other.url("/hook"));
            awaitStatuses(free, "DELIVERED");
            await().during(2, SECONDS).atMost(5, SECONDS).until(() -> receiver.requests().isEmpty());

            // its wait over, one probe goes; it succeeds and the circuit closes
            jdbc().update("UPDATE delivery_endpoint SET open_until = ? WHERE origin = ?", Timestamp.from(Instant.now()),
                    EndpointOrigin.of(receiver.url("/")));
            awaitStatuses(held, "DELIVERED");
            assertThat(openUntil(receiver.url("/"))).isNull();
        }
    }

    @Test
    void goneDisablesThatCallbackUrlEndsItsWaitingDeliveriesAndHoldsNewOnes() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")
                .replying(i -> Reply.status(i == 0 ? 410 : 200))) {
            Instance instance = instance(null);
            Notification first = enqueue(instance, receiver.url("/gone"));
            awaitStatuses(first, "GONE");
            Notification waiting = enqueue(instance, receiver.url("/gone"));
            Notification elsewhere = enqueue(instance, receiver.url("/still-here"));

            awaitStatuses(elsewhere, "DELIVERED");
            assertThat(jdbc().queryForObject("SELECT disabled_reason FROM callback_target WHERE instance_id = ? AND url = ?",
                    String.class, instance.id(), receiver.url("/gone"))).isEqualTo("endpoint gone");
            await().during(1, SECONDS).atMost(5, SECONDS).until(() -> statuses(waiting).equals(List.of("PENDING")));
            assertThat(receiver.requests()).extracting(WebhookReceiver.Request::pathAndQuery)
                    .containsExactly("/gone", "/still-here");
        }
    }

    @Test
    void aCallbackUrlFailingLongerThanDisableAfterIsDisabled() {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver").replying(i -> Reply.status(500))) {
            Instance instance = instance(null);
            String url = receiver.url("/down");
            // failing for six days already (bridge.delivery.disable-after is 5 days)
            jdbc().update("INSERT INTO callback_target (instance_id, url, failing_since, last_error, updated_at) VALUES (?, ?, ?, ?, ?)",
                    instance.id(), url, Timestamp.from(Instant.now().minus(Duration.ofDays(6))), "HTTP 500",
                    Timestamp.from(Instant.now()));
            Notification failing = enqueue(instance, url);

            awaitStatuses(failing, "FAILED");
            assertThat(jdbc().queryForObject("SELECT disabled_reason FROM callback_target WHERE instance_id = ? AND url = ?",
                    String.class, instance.id(), url)).startsWith("endpoint failing since").contains("disable-after");
            Notification later = enqueue(instance, url);
            await().during(1, SECONDS).atMost(5, SECONDS).until(() -> statuses(later).equals(List.of("PENDING")));
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    @Test
    void goneEndsTheDeliveriesAlreadyWaitingForThatUrl() {
        CountDownLatch answer = new CountDownLatch(1);
        try (WebhookReceiver receiver = new WebhookReceiver("receiver").replying(i -> Reply.after(answer, 20_000, 410))) {
            Instance instance = instance(null);
            for (int i = 0; i < 5; i++) {
                enqueue(instance, receiver.url("/gone"));
            }
            await().atMost(20, SECONDS).until(() -> receiver.requests().size() == PER_ENDPOINT);
            answer.countDown();

            await().atMost(20, SECONDS).until(() -> pending(instance) == 0);
            assertThat(jdbc().queryForList("SELECT DISTINCT status FROM delivery WHERE instance_id = ?", String.class,
                    instance.id())).containsExactlyInAnyOrder("GONE", "FAILED");
            assertThat(jdbc().queryForList("SELECT DISTINCT last_error FROM delivery WHERE instance_id = ? AND status = 'FAILED'",
                    String.class, instance.id())).containsExactly("endpoint gone");
            // the ones leased and waiting their turn were never sent
            assertThat(receiver.requests()).hasSize(PER_ENDPOINT);
        }
    }

    @Test
    void tooManyRequestsWithRetryAfterHoldsTheEndpointWithoutUsingRetries() {
        List<Instant> received = new CopyOnWriteArrayList<>();
        try (WebhookReceiver receiver = new WebhookReceiver("receiver").replying(i -> {
            received.add(Instant.now());
            return i < 2 ? Reply.status(429, Map.of("Retry-After", "1")) : Reply.status(200);
        })) {
            Notification n = enqueue(instance(null), receiver.url("/hook"));

            // with one retry an hour away, only throttling that uses up no retry delivers it within the test
            awaitStatuses(n, "DELIVERED");
            assertThat(received).hasSize(3);
            assertThat(Duration.between(received.get(0), received.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(jdbc().queryForObject("SELECT attempts FROM delivery WHERE event_id = ?", Integer.class, n.eventId()))
                    .isEqualTo(1);
        }
    }

    @Test
    void everyNotificationOfAnInstanceCarriesTheNextSequenceNumber() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            Instance a = instance(null);
            Instance b = instance(null);
            Notification a1 = enqueue(a, receiver.url("/a"));
            Notification b1 = enqueue(b, receiver.url("/b"));
            Notification a2 = enqueue(a, receiver.url("/a"));
            Notification a3 = enqueue(a, receiver.url("/a"));

            assertThat(List.of(a1.sequence(), a2.sequence(), a3.sequence(), b1.sequence())).containsExactly(1L, 2L, 3L, 1L);
            await().atMost(20, SECONDS).until(() -> receiver.requests().size() == 4);
            List<Long> seenByA = new ArrayList<>();
            for (WebhookReceiver.Request r : receiver.requests()) {
                if (r.pathAndQuery().equals("/a")) {
                    seenByA.add(mapper.readTree(r.body()).at("/message/sequence").asLong());
                }
            }
            assertThat(seenByA).containsExactlyInAnyOrder(1L, 2L, 3L);
            assertThat(jdbc().queryForObject("SELECT sequence FROM notification WHERE event_id = ?", Long.class, a3.eventId()))
                    .isEqualTo(3L);
        }
    }

    // --- helpers

    /** Accepts connections and never answers: the receiver every delivery system must survive. */
    private static final class BlackHole implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        BlackHole() throws IOException {
            server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        accepted.add(server.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "black-hole");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getLocalPort() + path;
        }

        int connections() {
            return accepted.size();
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket s : accepted) {
                    s.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Timestamp openUntil(String url) {
        List<Timestamp> rows = jdbc().queryForList("SELECT open_until FROM delivery_endpoint WHERE origin = ?", Timestamp.class,
                EndpointOrigin.of(url));
        return rows.isEmpty() ? null : rows.get(0);
    }

    private int pending(Instance instance) {
        Integer n = jdbc().queryForObject("SELECT COUNT(*) FROM delivery WHERE instance_id = ? AND status IN ('PENDING', 'RETRYING')",
                Integer.class, instance.id());
        return n == null ? 0 : n;
    }

    private Instance instance(String signatureKey) {
        return OutboxFixture.instance(context, "Isolation", signatureKey);
    }

    private Notification enqueue(Instance instance, String... urls) {
        return OutboxFixture.enqueue(context, instance, urls);
    }

    private PolledObject polled(String id) {
        return new PolledObject("events", id, "CREATED", "2025-05-28T11:41:12Z", mapper.createObjectNode().put("id", id),
                "events:" + id);
    }

    private void awaitStatuses(Notification n, String... expected) {
        await().atMost(20, SECONDS).until(() -> statuses(n).equals(List.of(expected)));
    }

    private List<String> statuses(Notification n) {
        return OutboxFixture.statuses(context, n);
    }

    private TransactionTemplate transactions() {
        return new TransactionTemplate(context.getRegistry().lookupByNameAndType("transactionManager",
                DataSourceTransactionManager.class));
    }

    private JdbcTemplate jdbc() {
        return OutboxFixture.jdbc(context);
    }

    private Outbox outbox() {
        return context.getRegistry().lookupByNameAndType("outbox", Outbox.class);
    }

    private NotificationFactory factory() {
        return context.getRegistry().lookupByNameAndType("notificationFactory", NotificationFactory.class);
    }
}
