package dev.egnytebridge.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.instance.Instance;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.egnytebridge.delivery.OutboxFixture.enqueue;
import static dev.egnytebridge.delivery.OutboxFixture.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * In cluster mode (PostgreSQL only) a notification stored on one node wakes every other node's dispatcher by the
 * commit that stores it (LISTEN/NOTIFY), not at their fallback look, which is a minute away here.
 */
@EnabledIf("dev.egnytebridge.TestDatabase#postgresSelected")
class OtherNodesDeliveryWakeTest extends BridgeTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.cluster.enabled", "true");
        p.setProperty("bridge.delivery.idle-check-ms", "60000");
        p.setProperty("bridge.poller.idle-check-ms", "60000");
        p.setProperty("bridge.callbacks.allow-private-addresses", "true");
        return p;
    }

    @Test
    void aNotificationStoredOnOneNodeIsSentByAnotherAtOnceNotAtItsFallbackLook() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            Instance instance = instance(context, "Clustered", null);
            Main other = anotherNodeSentTheFirst(instance, receiver);
            try {
                enqueue(context, instance, receiver.url("/second"));

                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 2);
            } finally {
                other.stop();
            }
        }
    }

    @Test
    void aNodeWhoseListeningConnectionWasCutHearsTheOthersAgain() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver("receiver")) {
            Instance instance = instance(context, "Reconnected", null);
            Main other = anotherNodeSentTheFirst(instance, receiver);
            try {
                JdbcTemplate jdbc = OutboxFixture.jdbc(context);
                List<Integer> listening = listeners(jdbc);
                assertThat(listening).hasSize(2); // one connection per node

                // as a database restart or a network cut does to them
                listening.forEach(pid -> jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, pid));
                await().atMost(Duration.ofSeconds(20)).until(() -> listeners(jdbc).stream().noneMatch(listening::contains)
                        && listeners(jdbc).size() == 2);

                enqueue(context, instance, receiver.url("/second"));

                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 2);
            } finally {
                other.stop();
            }
        }
    }

    /**
     * This node stores notifications but sends none; another node, started after the first was stored, sends it at
     * its start-up look and then sleeps until its fallback look.
     */
    private Main anotherNodeSentTheFirst(Instance instance, WebhookReceiver receiver) throws Exception {
        context.getRouteController().stopRoute("dispatch-deliveries");
        enqueue(context, instance, receiver.url("/first"));
        Main other = startAnotherBridge();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests().size() == 1);
            return other;
        } catch (RuntimeException e) {
            other.stop();
            throw e;
        }
    }

    /** The backends of this test's database that listen for the nodes' signals. */
    private static List<Integer> listeners(JdbcTemplate jdbc) {
        return jdbc.queryForList("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                + "AND query = 'LISTEN bridge_work'", Integer.class);
    }
}
