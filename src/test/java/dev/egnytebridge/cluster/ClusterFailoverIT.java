package dev.egnytebridge.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.PackagedBridge;
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
 * Three bridge nodes, each its own JVM (the packaged jar), in cluster mode on one embedded PostgreSQL, polling 50
 * instances of a fake Egnyte in this JVM from the shared poll schedule (element_instance.next_poll_at, each poll
 * leased to the node that claimed it). One node is killed with SIGKILL while it holds claims and events keep coming:
 * its claims are polled again by the survivors once their lease runs out, every event still reaches every instance's
 * callback, no two polls of one instance ever overlap, and the survivors share the polls. Then instances changed and
 * deleted through one node change what every node polls, a claim left by a dead node holds until its lease runs out
 * and no longer, and a node started later, given nothing but the database, takes its share.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ClusterFailoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterFailoverIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NODES = 3;
    private static final int INSTANCES = 50;
    private static final int POLLER_THREADS = 5;
    /** Short, so the killed node's claims run out within the test; renewed every 2 s while a poll runs. */
    private static final Duration LEASE = Duration.ofSeconds(6);
    /** How long the claim a test writes for a dead node holds. */
    private static final Duration DEAD_NODE_CLAIM = Duration.ofSeconds(10);
    private static final String POLLED = "Polled instance";
    /** How long every Egnyte call takes while the test loads the nodes. */
    private static final Duration SLOW_EGNYTE = Duration.ofSeconds(1);

    private final EgnyteSimulator egnyte = new EgnyteSimulator().start();
    private final CallbackSink sink = new CallbackSink().start();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private final List<Long> instanceIds = new ArrayList<>();
    private final List<Long> eventIds = new ArrayList<>();
    private DataSource database;
    private String jdbcUrl;

    private record Node(int number, PackagedBridge bridge) {
        /** Polls this node ran so far, from its log (PollSession logs one line per poll). */
        long polls() {
            return bridge.logLinesContaining(POLLED);
        }

        /** Matches this node's claims in element_instance.poll_lease_owner (host/pid/random, see ClusterNode). */
        String leaseOwnerPattern() {
            return "%/" + bridge.pid() + "/%";
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
            node.bridge().awaitServing(BridgeTestSupport.ALICE);
        }
    }

    @AfterAll
    void stopCluster() throws InterruptedException {
        for (Node node : nodes) {
            node.bridge().kill();
        }
        egnyte.close();
        sink.close();
    }

    @Test
    @Order(1)
    void survivesANodeKilledHoldingClaimsWithoutLosingOrOverlappingPolls() throws Exception {
        // instances are created through every node's API in turn: any node serves any instance
        for (int i = 0; i < INSTANCES; i++) {
            createInstance(nodes.get(i % NODES), i);
        }
        await("every instance's first poll").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> queryLong("SELECT COUNT(DISTINCT instance_id) FROM poll_cursor") == INSTANCES);

        addEvents(12);
        await("first events delivered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(this::everyCallbackHasEveryEvent);
        Node victim = nodes.get(0);
        assertThat(victim.polls()).as("polls run by the node about to be killed").isPositive();

        // events keep coming while a node dies in the middle of its polls and deliveries; Egnyte answers slowly until
        // the kill, so every node's pollers fill with polls under way and the node dies holding their claims
        addEvents(12);
        egnyte.delayNext(100_000, 1_500);
        await("the node to kill holds poll claims").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> queryLong("SELECT COUNT(*) FROM element_instance WHERE poll_lease_owner LIKE ?",
                        victim.leaseOwnerPattern()) >= 2);
        victim.bridge().kill();
        Instant killedAt = Instant.now();
        egnyte.clearFaults();
        assertThat(victim.bridge().exitValue()).as("node 1 was killed by SIGKILL (exit 128 + 9)").isEqualTo(137);
        Map<Long, Instant> orphaned = leasesHeldBy(victim);
        assertThat(orphaned).as("polls the dead node had claimed").isNotEmpty();
        List<Node> survivors = nodes.subList(1, NODES);
        long[] pollsAtKill = survivors.stream().mapToLong(Node::polls).toArray();
        addEvents(12);

        // nobody polls the dead node's instances while its claims hold; a survivor does once they ran out
        Map<Long, Instant> repolledAt = new HashMap<>();
        await("the dead node's claimed polls run again on a survivor").atMost(LEASE.plusSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    lastPollAts().forEach((id, last) -> {
                        if (orphaned.containsKey(id) && last.isAfter(killedAt)) {
                            repolledAt.putIfAbsent(id, last);
                        }
                    });
                    return repolledAt.size() == orphaned.size();
                });
        Duration failover = Duration.between(killedAt, Instant.now());
        orphaned.forEach((id, leaseUntil) -> assertThat(repolledAt.get(id))
                .as("instance %d, claimed by the dead node until %s, polled again at", id, leaseUntil)
                .isAfterOrEqualTo(leaseUntil));
        Instant lastLeaseEnd = orphaned.values().stream().max(Instant::compareTo).orElseThrow();
        LOG.info("Failover: the killed node's {} poll claim(s) ran out {} ms after the kill at the latest (lease {} s); "
                        + "all were polled again by a survivor {} ms after the kill, at most {} ms after their lease ran out",
                orphaned.size(), Duration.between(killedAt, lastLeaseEnd).toMillis(), LEASE.toSeconds(), failover.toMillis(),
                orphaned.keySet().stream().mapToLong(id -> Duration.between(orphaned.get(id), repolledAt.get(id)).toMillis())
                        .max().orElseThrow());

        await("every event at every callback after the kill").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1)).until(this::everyCallbackHasEveryEvent);
        LOG.info("Every event at every callback {} ms after the kill", Duration.between(killedAt, Instant.now()).toMillis());
        assertThat(queryLong("SELECT COUNT(*) FROM element_instance WHERE poll_lease_owner LIKE ?", victim.leaseOwnerPattern()))
                .as("claims of the dead node left in the schedule").isZero();
        // every instance, including those the dead node was polling, is polled again
        addEvents(6);
        await("events after failover").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(this::everyCallbackHasEveryEvent);

        for (String token : tokens) {
            assertThat(egnyte.maxInFlight(token)).as("most concurrent Egnyte calls of one instance").isEqualTo(1);
        }
        long[] sinceKill = new long[survivors.size()];
        for (int i = 0; i < survivors.size(); i++) {
            sinceKill[i] = survivors.get(i).polls() - pollsAtKill[i];
            assertThat(sinceKill[i]).as("polls node %d ran since the kill", survivors.get(i).number()).isPositive();
        }
        LOG.info("Polls since the kill per surviving node: {}", Arrays.toString(sinceKill));

        // more polls than one node's pollers can run: the survivors share them
        long[] underLoad = pollsUnderLoad(survivors, 40);
        long total = Arrays.stream(underLoad).sum();
        for (int i = 0; i < survivors.size(); i++) {
            assertThat(underLoad[i]).as("share of the polls under load run by node %d (of %d)", survivors.get(i).number(), total)
                    .isGreaterThanOrEqualTo(total / 4);
        }
    }

    @Test
    @Order(2)
    void changesAndDeletionsThroughOneNodeChangeWhatEveryNodePolls() throws Exception {
        await("instances created by the first test").atMost(Duration.ofSeconds(5)).until(() -> instanceIds.size() == INSTANCES);
        List<Node> alive = alive();

        // an interval changed through one node is the interval every node polls with: the shared schedule changes, the
        // instance is polled at once and then next a minute on
        long changed = instanceIds.get(1);
        Instant beforePatch = Instant.now();
        HttpResponse<String> patched = send(alive.get(alive.size() - 1), "PATCH", "/instances/" + changed,
                "{\"configuration\": {\"event.poller.refresh_interval\": 1}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(queryLong("SELECT poll_interval_ms FROM element_instance WHERE id = ?", changed)).isEqualTo(60_000);
        await("the changed instance polled at once, its next poll a minute on").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> nextPollAt(changed) != null && nextPollAt(changed).isAfter(beforePatch.plusSeconds(59)));

        // instances deleted through any node leave the shared schedule
        List<Integer> deleted = List.of(2, 3, 4, 5, 6);
        for (int i : deleted) {
            HttpResponse<String> r = send(alive.get(i % alive.size()), "DELETE", "/instances/" + instanceIds.get(i), null);
            assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        }
        assertThat(queryLong("SELECT COUNT(*) FROM element_instance WHERE next_poll_at IS NOT NULL"))
                .as("instances in the poll schedule").isEqualTo(INSTANCES - deleted.size());
        for (int i : deleted) {
            assertThat(queryLong("SELECT COUNT(*) FROM element_instance WHERE id = ?", instanceIds.get(i)))
                    .as("rows of deleted instance %d", instanceIds.get(i)).isZero();
        }

        // and no node polls them any more, nor the changed instance before its new beat
        Set<String> quietBearers = new HashSet<>();
        deleted.forEach(i -> quietBearers.add("Bearer " + tokens.get(i)));
        quietBearers.add("Bearer " + tokens.get(1));
        await("no more polls of deleted instances, none of the changed one").during(Duration.ofSeconds(6))
                .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    boolean none = egnyte.requestsTo("/pubapi/").stream()
                            .noneMatch(r -> quietBearers.contains(r.header("Authorization")));
                    if (!none) {
                        egnyte.clearRequests(); // a poll of a deleted instance that had started before the delete; look again
                    }
                    return none;
                });
        assertThat(nextPollAt(changed)).as("the changed instance's next poll").isAfter(Instant.now());
    }

    @Test
    @Order(3)
    void aPollClaimedByADeadNodeWaitsForItsLeaseToRunOutThenRuns() {
        long id = instanceIds.get(10);
        String bearer = "Bearer " + tokens.get(10);
        // the claim a node writes before it polls, from a node that died right after: the poll is due and leased
        Instant[] claim = new Instant[2];
        await("a moment between polls of instance " + id + " to claim it for a dead node").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                    claim[0] = now;
                    claim[1] = now.plus(DEAD_NODE_CLAIM);
                    return update("UPDATE element_instance SET poll_lease_owner = 'dead-node', poll_lease_until = ?, "
                                    + "next_poll_at = ? WHERE id = ? AND poll_lease_owner IS NULL",
                            Timestamp.from(claim[1]), Timestamp.from(now), id) == 1;
                });
        Instant claimedAt = claim[0];
        Instant leaseUntil = claim[1];

        await("instance " + id + " polled once the dead node's claim ran out").atMost(DEAD_NODE_CLAIM.plusSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> lastPollAt(id) != null && lastPollAt(id).isAfter(claimedAt));
        Instant polledAt = lastPollAt(id);
        LOG.info("Instance {} claimed by a dead node for {} s was polled {} ms after its claim ran out", id,
                DEAD_NODE_CLAIM.toSeconds(), Duration.between(leaseUntil, polledAt).toMillis());
        assertThat(polledAt).as("the poll after the dead node's claim").isAfterOrEqualTo(leaseUntil);
        assertThat(egnyte.requestsTo("/pubapi/").stream()
                .filter(r -> bearer.equals(r.header("Authorization")))
                .filter(r -> !r.receivedAt().isBefore(claimedAt) && r.receivedAt().isBefore(leaseUntil)).toList())
                .as("Egnyte calls of instance %d while a dead node's claim held it", id).isEmpty();
        assertThat(queryString("SELECT poll_lease_owner FROM element_instance WHERE id = ?", id))
                .as("owner of the claim now").isNotEqualTo("dead-node");
    }

    @Test
    @Order(4)
    void aNodeStartedLaterTakesAShareOfThePolls() throws Exception {
        Node added = startNode(NODES + 1);
        nodes.add(added);
        added.bridge().awaitServing(BridgeTestSupport.ALICE);
        List<Node> alive = alive();
        long[] before = alive.stream().mapToLong(Node::polls).toArray();
        await("the added node polls").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> added.polls() > before[alive.indexOf(added)]);

        long[] underLoad = pollsUnderLoad(alive, 60);
        long total = Arrays.stream(underLoad).sum();
        assertThat(underLoad[alive.indexOf(added)]).as("share of the polls under load run by the added node (of %d)", total)
                .isGreaterThanOrEqualTo(total / (2L * alive.size()));
        // through the kill, the lease test, the load and the new node: never two polls of one instance at once
        for (String token : tokens) {
            assertThat(egnyte.maxInFlight(token)).as("most concurrent Egnyte calls of one instance").isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ the nodes

    private Node startNode(int number) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bridge.data-dir", Files.createTempDirectory("bridge-node-" + number).toString());
        p.put("bridge.datasource.url", jdbcUrl);
        p.put("bridge.datasource.username", "postgres");
        p.put("bridge.datasource.password", "");
        p.put("bridge.datasource.max-pool-size", "12");
        p.put("bridge.cluster.enabled", "true");
        p.put("bridge.poller.threads", String.valueOf(POLLER_THREADS));
        p.put("bridge.poller.lease-seconds", String.valueOf(LEASE.toSeconds()));
        p.put("bridge.poller.min-interval-seconds", "1");
        // polls a second, which the daily call budget would space 86 s apart
        p.put("egnyte.rate-limit.calls-per-day", "0");
        p.put("bridge.security.organization-secret", BridgeTestSupport.ORG_SECRET);
        p.put("bridge.security.users", "alice=" + BridgeTestSupport.ALICE_SECRET);
        p.put("bridge.security.encryption-key", BridgeTestSupport.ENCRYPTION_KEY);
        p.put("egnyte.base-url", egnyte.baseUrl());
        p.put("egnyte.rate-limit.qps", "50");
        p.put("bridge.delivery.retry-schedule", "200ms,500ms,1s,2s,5s");
        p.put("bridge.delivery.retry-jitter", "0");
        // deliveries the killed node had claimed are sent again once their lease runs out
        p.put("bridge.delivery.timeout-ms", "5000");
        p.put("bridge.delivery.lease-seconds", "15");
        p.put("bridge.callbacks.allow-private-addresses", "true");
        return new Node(number, PackagedBridge.launch("cluster-failover-it", "node-" + number, PackagedBridge.freePort(), p));
    }

    /**
     * The polls each of these nodes runs while every Egnyte call takes {@link #SLOW_EGNYTE}, until they ran this many
     * together. Then one node's pollers can run far fewer polls than are due (POLLER_THREADS per SLOW_EGNYTE, against
     * 25 a second), so how they divide shows whether the nodes share the work. (When polls are quick, one node may
     * carry almost all of them: whichever node looks first after polls come due claims them.)
     */
    private long[] pollsUnderLoad(List<Node> among, long atLeast) {
        long[] before = among.stream().mapToLong(Node::polls).toArray();
        long[] ran = new long[among.size()];
        egnyte.delayNext(100_000, SLOW_EGNYTE.toMillis());
        try {
            await("polls under load").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                for (int i = 0; i < among.size(); i++) {
                    ran[i] = among.get(i).polls() - before[i];
                }
                return Arrays.stream(ran).sum() >= atLeast;
            });
        } finally {
            egnyte.clearFaults();
        }
        LOG.info("Polls under load (Egnyte answering in {} ms) per node {}: {}", SLOW_EGNYTE.toMillis(),
                among.stream().map(Node::number).toList(), Arrays.toString(ran));
        return ran;
    }

    private List<Node> alive() {
        return nodes.stream().filter(n -> n.bridge().isAlive()).toList();
    }

    private HttpResponse<String> send(Node node, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.bridge().baseUrl() + path))
                .header("Authorization", BridgeTestSupport.ALICE).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void createInstance(Node node, int i) throws Exception {
        String code = "cluster-code-" + i;
        ObjectNode body = dev.egnytebridge.InstanceRequestBody.of("Cluster_" + i, "Cluster", code, sink.url("/instance-" + i),
                null, "0.0334", eventsResource());
        HttpResponse<String> response = send(node, "POST", "/instances", JSON.writeValueAsString(body));
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

    // ------------------------------------------------------------------ events and callbacks

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

    // ------------------------------------------------------------------ the shared schedule
    // Timestamps go in and out as java.sql.Timestamp, as the nodes write them (every JVM here shares one time zone).

    /** The instances this node holds claims on, with when each claim runs out. */
    private Map<Long, Instant> leasesHeldBy(Node node) {
        Map<Long, Instant> leases = new LinkedHashMap<>();
        query("SELECT id, poll_lease_until FROM element_instance WHERE poll_lease_owner LIKE ?",
                rs -> leases.put(rs.getLong(1), rs.getTimestamp(2).toInstant()), node.leaseOwnerPattern());
        return leases;
    }

    /** When each instance's latest poll started (successful or not), of those polled at least once. */
    private Map<Long, Instant> lastPollAts() {
        Map<Long, Instant> at = new HashMap<>();
        query("SELECT id, last_poll_at FROM element_instance WHERE last_poll_at IS NOT NULL",
                rs -> at.put(rs.getLong(1), rs.getTimestamp(2).toInstant()));
        return at;
    }

    /** When the instance's latest poll started (successful or not), or null before its first. */
    private Instant lastPollAt(long id) {
        Instant[] at = new Instant[1];
        query("SELECT last_poll_at FROM element_instance WHERE id = ?", rs -> {
            Timestamp t = rs.getTimestamp(1);
            at[0] = t == null ? null : t.toInstant();
        }, id);
        return at[0];
    }

    private Instant nextPollAt(long id) {
        Instant[] at = new Instant[1];
        query("SELECT next_poll_at FROM element_instance WHERE id = ?", rs -> {
            Timestamp t = rs.getTimestamp(1);
            at[0] = t == null ? null : t.toInstant();
        }, id);
        return at[0];
    }

    private long queryLong(String sql, Object... args) {
        long[] value = new long[1];
        query(sql, rs -> value[0] = rs.getLong(1), args);
        return value[0];
    }

    private String queryString(String sql, Object... args) {
        String[] value = new String[1];
        query(sql, rs -> value[0] = rs.getString(1), args);
        return value[0];
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, RowReader reader, Object... args) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
