package dev.egnytebridge.egnyte;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EgnyteEventMapperTest {

    private static final String MISSION_EVENT = "{\"id\":16342,\"timestamp\":\"2025-05-28T11:41:12.000Z\","
            + "\"action_source\":\"WebUI\",\"actor\":1,\"type\":\"file_system\",\"action\":\"copy\","
            + "\"object_detail\":\"https://d.egnyte.com/pubapi/v1/fs/Shared/a.docx\",\"data\":{\"target_path\":"
            + "\"/Shared/a.docx\",\"target_id\":\"89b1e9d9\",\"source_path\":\"/Shared/b.docx\",\"is_folder\":false}}";

    private final ObjectMapper json = new ObjectMapper();
    private final EgnyteEventMapper mapper = new EgnyteEventMapper();

    private ObjectNode event(String text) throws Exception {
        return (ObjectNode) json.readTree(text);
    }

    @Test
    void keepsEveryEgnyteFieldAndAddsTheHubFields() throws Exception {
        ObjectNode event = event(MISSION_EVENT);

        ObjectNode hub = mapper.toHubObject(event);

        event.fieldNames().forEachRemaining(name -> assertThat(hub.get(name)).isEqualTo(event.get(name)));
        assertThat(hub.get("event_object_id").asText()).isEqualTo("16342");
        assertThat(hub.get("event_object_id").isTextual()).isTrue();
        assertThat(hub.get("event_date").asText()).isEqualTo("2025-05-28T11:41:12.000Z");
        assertThat(hub.get("event_type").asText()).isEqualTo("UPDATED");
        assertThat(hub.get("event_object_type").asText()).isEqualTo("file");
    }

    @Test
    void doesNotModifyTheInput() throws Exception {
        ObjectNode event = event(MISSION_EVENT);
        ObjectNode before = event.deepCopy();

        ObjectNode hub = mapper.toHubObject(event);
        ((ObjectNode) hub.get("data")).put("target_path", "/changed");

        assertThat(event).isEqualTo(before);
        assertThat(hub).isNotSameAs(event);
    }

    @Test
    void mapsActionsToEventTypes() throws Exception {
        assertThat(typeOf("{\"id\":1,\"action\":\"create\"}")).isEqualTo("CREATED");
        assertThat(typeOf("{\"id\":1,\"action\":\"delete\"}")).isEqualTo("DELETED");
        assertThat(typeOf("{\"id\":1,\"action\":\"move\"}")).isEqualTo("UPDATED");
        assertThat(typeOf("{\"id\":1,\"action\":\"copy\"}")).isEqualTo("UPDATED");
        assertThat(typeOf("{\"id\":1,\"action\":\"rename\"}")).isEqualTo("UPDATED");
        assertThat(typeOf("{\"id\":1,\"action\":\"lock\"}")).isEqualTo("UPDATED");
        assertThat(typeOf("{\"id\":1,\"action\":\"CREATE\"}")).isEqualTo("CREATED");
    }

    @Test
    void isUnknownWithoutAUsableActionOrId() throws Exception {
        assertThat(typeOf("{\"id\":1}")).isEqualTo("UNKNOWN");
        assertThat(typeOf("{\"id\":1,\"action\":7}")).isEqualTo("UNKNOWN");
        assertThat(typeOf("{\"id\":1,\"action\":null}")).isEqualTo("UNKNOWN");
        assertThat(typeOf("{\"action\":\"create\"}")).isEqualTo("UNKNOWN");
        assertThat(mapper.toHubObject(event("{\"action\":\"create\"}")).has("event_object_id")).isFalse();
    }

    @Test
    void neverThrowsOnOddInput() throws Exception {
        for (String odd : new String[] {"[]", "null", "\"text\"", "42", "{\"data\":\"not an object\",\"type\":5}"}) {
            ObjectNode hub = mapper.toHubObject(json.readTree(odd));
            assertThat(hub.get("event_type").asText()).isEqualTo("UNKNOWN");
            assertThat(hub.get("event_object_type").asText()).isEqualTo("file");
        }
        assertThat(mapper.toHubObject(null).get("event_type").asText()).isEqualTo("UNKNOWN");
    }

    @Test
    void classifiesNotesFoldersAndFiles() throws Exception {
        assertThat(objectTypeOf("{\"id\":1,\"type\":\"note\",\"data\":{}}")).isEqualTo("note");
        assertThat(objectTypeOf("{\"id\":1,\"type\":\"file_system\",\"data\":{\"note_id\":\"n1\"}}")).isEqualTo("note");
        assertThat(objectTypeOf("{\"id\":1,\"data\":{\"is_folder\":true}}")).isEqualTo("folder");
        assertThat(objectTypeOf("{\"id\":1,\"data\":{\"folder_id\":\"f1\",\"is_folder\":false}}")).isEqualTo("folder");
        assertThat(objectTypeOf("{\"id\":1,\"data\":{\"is_folder\":false}}")).isEqualTo("file");
        assertThat(objectTypeOf("{\"id\":1}")).isEqualTo("file");
    }

    @Test
    void mapsEventsServedByTheSimulator() throws Exception {
        try (EgnyteSimulator egnyte = new EgnyteSimulator().start()) {
            egnyte.registerToken("t");
            egnyte.addEvent("create", "/Shared/a.docx", false);
            egnyte.addEvent("delete", "/Shared/Old", true);
            egnyte.addNoteEvent("create", "/Shared/a.docx");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(egnyte.baseUrl() + "/pubapi/v1/events?id=0")).header("Authorization", "Bearer t").build(),
                    HttpResponse.BodyHandlers.ofString());

            JsonNode events = json.readTree(r.body()).get("events");

            ObjectNode created = mapper.toHubObject(events.get(0));
            assertThat(created.get("event_type").asText()).isEqualTo("CREATED");
            assertThat(created.get("event_object_type").asText()).isEqualTo("file");
            assertThat(created.get("event_object_id").asText()).isEqualTo("1");
            assertThat(mapper.toHubObject(events.get(1)).get("event_type").asText()).isEqualTo("DELETED");
            assertThat(mapper.toHubObject(events.get(1)).get("event_object_type").asText()).isEqualTo("folder");
            assertThat(mapper.toHubObject(events.get(2)).get("event_object_type").asText()).isEqualTo("note");
        }
    }

    private String typeOf(String event) throws Exception {
        return mapper.toHubObject(event(event)).get("event_type").asText();
    }

    private String objectTypeOf(String event) throws Exception {
        return mapper.toHubObject(event(event)).get("event_object_type").asText();
    }
}
