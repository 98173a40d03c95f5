package dev.egnytebridge.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.push.PushRegistrations;
import dev.egnytebridge.push.PushState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sandbox mode as a newcomer runs it: the built-in simulator and sink, a demo instance, signed notifications. */
class SandboxModeTest extends BridgeTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.sandbox.enabled", "true");
        p.setProperty("bridge.sandbox.event-interval-seconds", "1");
        // the test's own value must win over the sandbox's 10 s
        p.setProperty("bridge.poller.min-interval-seconds", "1");
        return p;
    }

    private CallbackSink sink() {
        return context.getRegistry().lookupByNameAndType("callbackSink", CallbackSink.class);
    }

    private EgnyteSimulator egnyte() {
        return context.getRegistry().lookupByNameAndType("egnyteSimulator", EgnyteSimulator.class);
    }

    private List<Instance> demoInstances() {
        return context.getRegistry().lookupByNameAndType("instanceStore", InstanceStore.class).findByOwner("alice").stream()
                .filter(i -> SandboxDemo.DEMO_NAME.equals(i.name())).toList();
    }

    @Test
    void theDemoInstanceIsPushedByTheSimulatorsWebhookWithinSecondsNotAtItsBackstop() {
        await().atMost(Duration.ofSeconds(20)).until(() -> demoInstances().size() == 1);
        Instance demo = demoInstances().get(0);
        PushRegistrations registrations = context.getRegistry().lookupByNameAndType("pushRegistrations",
                PushRegistrations.class);

        // the demo's backstop poll is a minute apart and its first poll starts from the latest event: only the
        // simulator's pushes can bring a notification this soon
        await().atMost(Duration.ofSeconds(20)).until(() -> registrations.find(demo.id())
                .filter(r -> r.state() == PushState.ACTIVE).isPresent()
                && egnyte().pushes().stream().anyMatch(WebhookPush::delivered)
                && !sink().received(SandboxDemo.CALLBACK_PATH).isEmpty());
        assertThat(demo.polling().webhooks()).isTrue();
        assertThat(demo.polling().refreshInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void deliversSignedNotificationsFromTheSimulatorToTheSink() throws Exception {
        assertThat(sink()).isNotNull();
        assertThat(egnyte()).isNotNull();

        await().atMost(Duration.ofSeconds(60)).until(() -> !sink().received(SandboxDemo.CALLBACK_PATH).isEmpty());

        CallbackSink.Received first = sink().received(SandboxDemo.CALLBACK_PATH).get(0);
        assertThat(first.signature()).isEqualTo(CallbackSink.SignatureStatus.VALID);
        assertThat(first.header(CallbackSink.SIGNATURE_HEADER)).startsWith("sha256=");
        assertThat(first.status()).isEqualTo(200);

        Instance demo = demoInstances().get(0);
        JsonNode message = JSON.readTree(first.body()).path("message");
        assertThat(message.path("eventId").asText()).isNotBlank();
        assertThat(message.path("instanceId").asLong()).isEqualTo(demo.id());
        assertThat(message.path("instance_id").asLong()).isEqualTo(demo.id());
        assertThat(message.path("instanceName").asText()).isEqualTo(SandboxDemo.DEMO_NAME);
        assertThat(message.path("elementKey").asText()).isEqualTo("egnyte");
        JsonNode events = message.path("events");
        assertThat(events.size()).isBetween(1, 10);
        JsonNode event = events.get(0);
        assertThat(event.path("elementKey").asText()).isEqualTo("egnyte");
        assertThat(event.path("eventType").asText()).isIn("CREATED", "UPDATED", "DELETED");
        assertThat(event.path("objectType").asText()).isEqualTo("events");
        assertThat(event.path("date").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        long objectId = Long.parseLong(event.path("objectId").asText());
        assertThat(egnyte().event(objectId)).isNotNull();
        JsonNode raw = message.path("raw");
        assertThat(raw.path("objectType").asText()).isEqualTo("events");
        assertThat(raw.path("events").size()).isEqualTo(events.size());
        assertThat(raw.path("events").get(0).path("event_object_id").asText()).isEqualTo(event.path("objectId").asText());
        assertThat(raw.path("events").get(0).path("data").path("target_path").asText()).startsWith("/");
    }

    @Test
    void pointsTheBridgeAtTheSimulatorAndKeepsTheTestsOwnPollInterval() {
        assertThat(context.resolvePropertyPlaceholders("{{egnyte.base-url}}")).isEqualTo(egnyte().baseUrl());
        assertThat(context.resolvePropertyPlaceholders("{{bridge.callbacks.allow-private-addresses}}")).isEqualTo("true");
        assertThat(context.resolvePropertyPlaceholders("{{bridge.poller.min-interval-seconds}}")).isEqualTo("1");
    }

    @Test
    void createsOneDemoInstanceForTheFirstConfiguredUserAndNeverASecond() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> demoInstances().size() == 1);
        Instance demo = demoInstances().get(0);
        assertThat(demo.owner()).isEqualTo("alice");
        assertThat(demo.secrets().signatureKey()).startsWith("whsec_");
        assertThat(demo.polling().callbackUrls()).containsExactly(sink().url(SandboxDemo.CALLBACK_PATH));

        // as the route does after a restart: the existing demo is re-pointed, not duplicated
        Instance again = context.getRegistry().lookupByNameAndType("sandboxDemo", SandboxDemo.class).createDemoInstance();
        assertThat(again.id()).isEqualTo(demo.id());
        assertThat(demoInstances()).hasSize(1);
        assertThat(Set.copyOf(demoInstances().get(0).tags())).containsExactly("Sandbox");
    }
}
