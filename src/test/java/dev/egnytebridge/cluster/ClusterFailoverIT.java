package dev.egnytebridge.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.TestDatabase;
import dev.egnytebridge.sandbox.CallbackSink;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three bridge nodes, each its own JVM (the packaged jar), in cluster mode on one embedded PostgreSQL,
 * polling 50 instances of a fake Egnyte in this JVM. One node is killed with SIGKILL while events keep coming: every
 * event still reaches every instance's callback, no two polls of one instance ever overlap, and the survivors share the
 * polls. Then instances changed and deleted through one node change the schedule every node fires from, a job lost
 * from the shared store is recreated, and a node started later, given nothing but the database, takes its share.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterFailoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterFailoverIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NODES = 3;
    private static final int INSTANCES = 50;
    private static final long CHECKIN_MS = 5_000;

    private final Path projectDir = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    private final Path jar = Paths.get(System.getProperty("bridge.it.jar",
            projectDir.resolve("target/egnyte-events-bridge.jar").toString()));
    private final Path logDir = projectDir.resolve("target/cluster-failover-it");
    private final EgnyteSimulator egnyte = new EgnyteSimulator().start();
    private final CallbackSink sink = new CallbackSink().start();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private final List<Long> instanceIds = new ArrayList<>();
    private final List<Long> eventIds = new ArrayList<>();
    private DataSource database;
    private String jdbcUrl;

    private record Node(int number, int port, Process process, Path log) {
        String baseUrl() {
            return "http://127.0.0.1:" + port;
        }

        /** Polls this node ran so far, from its log. */
        long polls() {
            try {
                return Files.readAllLines(log).stream().filter(l -> l.contains("Polled instance")).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @BeforeAll
    void startCluster() throws Exception {
        EmbeddedPostgres pg = TestDatabase.postgres();
        String name = "bridge_cluster_" + ProcessHandle.current().pid();
        TestDatabase.createDatabase(pg, name);
        jdbcUrl = pg.getJdbcUrl("postgres", name);
        database = pg.getDatabase("postgres", name);
        egnyte.acceptAnyCode(true);
        for (int i = 1; i <= NODES; i++) {
            nodes.add(startNode(i));
        }
        for (Node node : nodes) {
            await("node " + node.number() + " serving").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> isServing(node));
        }
    }

    @AfterAll
    void stopCluster() {
        for (Node node : nodes) {
            node.process().destroyForcibly();
        }
        for (Node node : nodes) {
            try {
                node.process().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        egnyte.close();
        sink.close();
    }

    @Test
    @Order(1)
    void survivesANodeKilledMidRunWithoutLosingOrOverlappingPolls() throws Exception {
        // instances are created through every node's API in turn: any node serves any instance
        for (int i = 0; i < INSTANCES; i++) {
            createInstance(nodes.get(i % NODES), i);
        }
        await("every instance's first poll").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> countRows("SELECT COUNT(DISTINCT instance_id) FROM poll_cursor") == INSTANCES);

        addEvents(12);
        await("first events delivered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(this::everyCallbackHasEveryEvent);
        Node victim = nodes.get(0);
        assertThat(victim.polls()).as("polls run by the node about to be killed").isPositive();

        // events keep coming while a node dies in the middle of its polls and deliveries
        addEvents(12);
        long killedAt = System.nanoTime();
        victim.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no clean Quartz check-out
        assertThat(victim.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<Node> survivors = nodes.subList(1, NODES);
        long[] pollsAtKill = survivors.stream().mapToLong(Node::polls).toArray();
        addEvents(12);

        await("every event at every callback after the kill").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1)).until(this::everyCallbackHasEveryEvent);
        LOG.info("Every event at every callback {} ms after the kill", Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
        // Quartz's failover: a survivor finds the dead node's check-in overdue, releases the triggers it had acquired or
        // was firing, and removes it from the cluster
        await("the dead node failed over").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> countRows("SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE") == NODES - 1);
        LOG.info("Dead node removed from the cluster {} ms after the kill (check-in interval {} ms)",
                Duration.ofNanos(System.nanoTime() - killedAt).toMillis(), CHECKIN_MS);
        // (BLOCKED is normal while a poll runs; a trigger stuck BLOCKED would show as an instance missing events below)
        assertThat(countRows("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_STATE IN ('ERROR', 'PAUSED', 'PAUSED_BLOCKED')"))
                .as("triggers paused or in error").isZero();
        // every instance, including those the dead node was polling, is polled again
        addEvents(6);
        await("events after failover").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(this::everyCallbackHasEveryEvent);

        for (String token : tokens) {
            assertThat(egnyte.maxInFlight(token)).as("most concurrent Egnyte calls of one instance").isEqualTo(1);
        }
        long total = 0;
        long[] after = new long[survivors.size()];
        for (int i = 0; i < survivors.size(); i++) {
            after[i] = survivors.get(i).polls() - pollsAtKill[i];
            total += after[i];
        }
        LOG.info("Polls since the kill per surviving node: {} of {}", java.util.Arrays.toString(after), total);
        for (int i = 0; i < survivors.size(); i++) {
            assertThat(after[i]).as("share of the polls since the kill run by node %d (of %d)", survivors.get(i).number(), total)
                    .isGreaterThanOrEqualTo(total / 10);
        }
    }

    @Test
    @Order(2)
    void changesAndDeletionsThroughOneNodeReachTheSharedSchedule() throws Exception {
        await("instances created by the other test").atMost(Duration.ofSeconds(5)).until(() -> instanceIds.size() == INSTANCES);
        List<Node> alive = nodes.stream().filter(n -> n.process().isAlive()).toList();

        // an interval changed through one node is the interval every node fires with: the shared trigger changes
        long changed = instanceIds.get(1);
        HttpResponse<String> patched = send(alive.get(alive.size() - 1), "PATCH", "/instances/" + changed,
                "{\"configuration\": {\"event.poller.refresh_interval\": 0.5}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(countRows("SELECT REPEAT_INTERVAL FROM QRTZ_SIMPLE_TRIGGERS WHERE TRIGGER_NAME = 'instance-" + changed + "'"))
                .isEqualTo(30_000);

        // instances deleted through any node stop being polled on every node: their jobs leave the shared store
        List<Integer> deleted = List.of(2, 3, 4, 5, 6);
        for (int i : deleted) {
            HttpResponse<String> r = send(alive.get(i % alive.size()), "DELETE", "/instances/" + instanceIds.get(i), null);
            assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        }
        assertThat(countRows("SELECT COUNT(*) FROM QRTZ_JOB_DETAILS")).isEqualTo(INSTANCES - deleted.size());
        Set<String> deletedBearers = new HashSet<>();
        deleted.forEach(i -> deletedBearers.add("Bearer " + tokens.get(i)));
        await("no more polls of deleted instances").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    boolean none = egnyte.requestsTo("/pubapi/").stream()
                            .noneMatch(r -> deletedBearers.contains(r.header("Authorization")));
                    if (!none) {
                        egnyte.clearRequests(); // a poll that had started before the delete; look again
                    }
                    return none;
                });
    }

    @Test
    @Order(3)
    void aPollJobLostFromTheSharedStoreIsRecreated() {
        long lost = instanceIds.get(10);
        execute("DELETE FROM QRTZ_SIMPLE_TRIGGERS WHERE TRIGGER_NAME = 'instance-" + lost + "'",
                "DELETE FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'instance-" + lost + "'",
                "DELETE FROM QRTZ_JOB_DETAILS WHERE JOB_NAME = 'instance-" + lost + "'");

        await("the job recreated by a reconciliation").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> countRows("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'instance-" + lost + "'") == 1);
    }

    @Test
    @Order(4)
    void aNodeStartedLaterTakesAShareOfThePolls() throws Exception {
        Node added = startNode(NODES + 1);
        nodes.add(added);
        await("the added node serving").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> isServing(added));
        List<Node> alive = nodes.stream().filter(n -> n.process().isAlive()).toList();
        long[] before = alive.stream().mapToLong(Node::polls).toArray();
        await("the added node runs its share of the polls").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    long total = 0;
                    for (int i = 0; i < alive.size(); i++) {
                        total += alive.get(i).polls() - before[i];
                    }
                    long mine = added.polls() - before[alive.indexOf(added)];
                    return total >= 100 && mine >= total / (2L * alive.size());
                });
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<String> send(Node node, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                .header("Authorization", BridgeTestSupport.ALICE).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Node startNode(int number) throws IOException {
        int port = freePort();
        assertThat(jar).as("the packaged jar (mvn verify packages it before the integration tests)").isRegularFile();
        Path dataDir = Files.createTempDirectory("bridge-node-" + number);
        Files.createDirectories(logDir);
        Path log = logDir.resolve("node-" + number + ".log");
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        for (String[] p : new String[][] {
                {"camel.server.port", String.valueOf(port)},
                {"camel.server.host", "127.0.0.1"},
                {"bridge.data-dir", dataDir.toString()},
                {"bridge.datasource.url", jdbcUrl},
                {"bridge.datasource.username", "postgres"},
                {"bridge.datasource.password", ""},
                {"bridge.datasource.max-pool-size", "12"},
                {"bridge.cluster.enabled", "true"},
                {"bridge.cluster.checkin-interval-ms", String.valueOf(CHECKIN_MS)},
                {"bridge.cluster.reconcile-interval-ms", "2000"},
                {"bridge.cluster.poller-threads", "5"},
                {"bridge.security.organization-secret", BridgeTestSupport.ORG_SECRET},
                {"bridge.security.users", "alice=" + BridgeTestSupport.ALICE_SECRET},
                {"bridge.security.encryption-key", BridgeTestSupport.ENCRYPTION_KEY},
                {"egnyte.base-url", egnyte.baseUrl()},
                {"egnyte.rate-limit.qps", "50"},
                {"bridge.poller.min-interval-seconds", "1"},
                {"bridge.delivery.retry-schedule", "200ms,500ms,1s,2s,5s"},
                {"bridge.delivery.retry-jitter", "0"},
                {"bridge.delivery.dispatch-interval-ms", "100"},
                {"bridge.callbacks.allow-private-addresses", "true"}}) {
            command.add("-D" + p[0] + "=" + p[1]);
        }
        command.add("-jar");
        command.add(jar.toString());
        Process process = new ProcessBuilder(command)
                .directory(projectDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new Node(number, port, process, log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private boolean isServing(Node node) {
        if (!node.process().isAlive()) {
            throw new AssertionError("node " + node.number() + " exited; its log: " + node.log());
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/instances"))
                    .header("Authorization", BridgeTestSupport.ALICE).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void createInstance(Node node, int i) throws Exception {
        String code = "cluster-code-" + i;
        ObjectNode body = JSON.createObjectNode();
        body.putObject("element").put("key", "egnyte");
        body.putObject("providerData").put("code", code);
        ObjectNode configuration = body.putObject("configuration");
        configuration.put("oauth.callback.url", "https://myapp.example.com/oauth");
        configuration.put("oauth.api.key", "key");
        configuration.put("oauth.api.secret", "secret");
        configuration.put("subdomain", "acme");
        configuration.put("event.notification.enabled", true);
        configuration.put("event.notification.callback.url", sink.url("/instance-" + i));
        configuration.put("event.poller.refresh_interval", "0.0334");
        configuration.set("event.poller.configuration", eventsResource());
        body.putArray("tags").add("Cluster");
        body.put("name", "Cluster_" + i);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/instances"))
                .header("Authorization", BridgeTestSupport.ALICE).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        tokens.add(EgnyteSimulator.tokenForCode(code));
        instanceIds.add(JSON.readTree(response.body()).path("id").asLong());
    }

    private static ObjectNode eventsResource() {
        ObjectNode events = JSON.createObjectNode();
        events.put("url", "/hubs/documents/events");
        events.put("idField", "event_object_id");
        ObjectNode dates = events.putObject("datesConfiguration");
        dates.put("updatedDateField", "event_date");
        dates.put("updatedDateFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
        dates.put("updatedDateTimezone", "GMT");
        dates.put("createdDateField", "event_date");
        dates.put("createdDateFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX'");
        dates.put("createdDateTimezone", "GMT");
        ObjectNode configuration = JSON.createObjectNode();
        configuration.set("events", events);
        return configuration;
    }

    private void addEvents(int n) {
        long last = egnyte.addEvents(n);
        LongStream.rangeClosed(last - n + 1, last).forEach(eventIds::add);
    }

    private boolean everyCallbackHasEveryEvent() {
        Set<String> expected = new LinkedHashSet<>();
        eventIds.forEach(id -> expected.add(String.valueOf(id)));
        for (int i = 0; i < INSTANCES; i++) {
            Set<String> received = new HashSet<>();
            for (CallbackSink.Received r : sink.received("/instance-" + i)) {
                try {
                    JSON.readTree(r.body()).path("message").path("events")
                            .forEach((JsonNode e) -> received.add(e.path("objectId").asText()));
                } catch (IOException e) {
                    throw new AssertionError("Not JSON: " + r.body(), e);
                }
            }
            if (!received.containsAll(expected)) {
                return false;
            }
        }
        return true;
    }

    /** Statements in one transaction, as an operator's mistake or a lost write would leave the shared store. */
    private void execute(String... statements) {
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.executeUpdate(sql);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long countRows(String sql) {
        try (Connection c = database.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
