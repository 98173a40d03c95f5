package dev.egnytebridge.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceSecrets;
import dev.egnytebridge.instance.PollerState;
import dev.egnytebridge.poller.PolledObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationFactoryTest {

    private final ObjectMapper mapper = new ObjectMapper();
    /** Stands in for the instance row's counter: 1, 2, 3... */
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    private final NotificationFactory factory = new NotificationFactory(mapper, instanceId -> sequence.incrementAndGet());
    private final Instance instance = new Instance(12, "alice", "API_Polling", "egnyte", "acme", mapper.createObjectNode(),
            new InstanceSecrets("t", "s", null), List.of(), true, true, false, Instant.now(), Instant.now(), PollerState.NEW);

    @Test
    void buildsTheCloudElementsBodyFieldByField() throws Exception {
        ObjectNode hub = (ObjectNode) mapper.readTree("{\"id\":16342,\"action\":\"create\",\"data\":{\"target_path\":\"/Shared/a.docx\"}}");
        Notification n = factory.build(instance, "events",
                List.of(new PolledObject("events", "16342", "CREATED", "2025-05-28T11:41:12Z", hub, "k1")));

        assertThat(n.body()).isEqualTo("{\"message\":{\"eventId\":\"" + n.eventId() + "\",\"instanceId\":12,\"instance_id\":12,"
                + "\"instanceName\":\"API_Polling\",\"elementKey\":\"egnyte\",\"sequence\":1,\"events\":[{\"elementKey\":\"egnyte\","
                + "\"eventType\":\"CREATED\",\"objectId\":\"16342\",\"objectType\":\"events\",\"date\":\"2025-05-28T11:41:12Z\"}],"
                + "\"raw\":{\"objectType\":\"events\",\"events\":[{\"id\":16342,\"action\":\"create\","
                + "\"data\":{\"target_path\":\"/Shared/a.docx\"}}]}}}");
        assertThat(n.instanceId()).isEqualTo(12);
        assertThat(n.resource()).isEqualTo("events");
        assertThat(n.objectCount()).isEqualTo(1);
    }

    @Test
    void leavesOutADateTheObjectDoesNotHave() throws Exception {
        Notification n = factory.build(instance, "documents",
                List.of(new PolledObject("documents", "a1", "UNKNOWN", null, mapper.createObjectNode(), "k")));
        ObjectNode event = (ObjectNode) mapper.readTree(n.body()).at("/message/events/0");
        assertThat(event.has("date")).isFalse();
        assertThat(event.get("objectType").asText()).isEqualTo("documents");
    }

    @Test
    void givesEveryNotificationItsOwnEventIdAndOnlyItsBatchsObjects() throws Exception {
        List<PolledObject> objects = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            objects.add(new PolledObject("events", "id" + i, "CREATED", null, mapper.createObjectNode().put("id", i), "k" + i));
        }
        Notification first = factory.build(instance, "events", objects.subList(0, 2));
        Notification second = factory.build(instance, "events", objects.subList(2, 3));

        assertThat(first.eventId()).isNotEqualTo(second.eventId());
        assertThat(second.sequence()).isEqualTo(first.sequence() + 1);
        assertThat(mapper.readTree(second.body()).at("/message/sequence").asLong()).isEqualTo(second.sequence());
        assertThat(mapper.readTree(first.body()).at("/message/raw/events")).hasSize(2);
        assertThat(mapper.readTree(second.body()).at("/message/raw/events/0/id").asInt()).isEqualTo(2);
        assertThat(mapper.readTree(first.body()).at("/message/eventId").asText()).isEqualTo(first.eventId());
    }

    @Test
    void refusesAnEmptyBatch() {
        assertThatThrownBy(() -> factory.build(instance, "events", List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
