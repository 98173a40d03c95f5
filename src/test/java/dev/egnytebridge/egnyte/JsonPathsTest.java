package dev.egnytebridge.egnyte;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonPathsTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode parse(String text) throws Exception {
        return json.readTree(text);
    }

    @Test
    void findsNestedFieldsByDottedPath() throws Exception {
        JsonNode event = parse("{\"id\":1,\"data\":{\"target_path\":\"/Shared/a.docx\",\"deep\":{\"x\":true}}}");

        assertThat(JsonPaths.find(event, "data.target_path").asText()).isEqualTo("/Shared/a.docx");
        assertThat(JsonPaths.find(event, "data.deep.x").asBoolean()).isTrue();
        assertThat(JsonPaths.find(event, "")).isSameAs(event);
        assertThat(JsonPaths.find(event, null)).isSameAs(event);
    }

    @Test
    void returnsNullForMissingSteps() throws Exception {
        JsonNode event = parse("{\"id\":1,\"data\":{\"a\":\"x\"}}");

        assertThat(JsonPaths.find(event, "data.missing")).isNull();
        assertThat(JsonPaths.find(event, "data.a.b")).isNull();
        assertThat(JsonPaths.find(event, "nope.deeper")).isNull();
        assertThat(JsonPaths.find(null, "a")).isNull();
    }

    @Test
    void indexesArraysWithNumericSegments() throws Exception {
        JsonNode listing = parse("{\"files\":[{\"name\":\"a\"},{\"name\":\"b\"}]}");

        assertThat(JsonPaths.text(listing, "files.1.name")).isEqualTo("b");
        assertThat(JsonPaths.find(listing, "files.5")).isNull();
    }

    @Test
    void readsScalarsAsPlainText() throws Exception {
        JsonNode o = parse("{\"id\":16342,\"big\":12345678901234567890,\"dec\":1.50,\"exp\":1E+3,"
                + "\"s\":\"x\",\"b\":false,\"n\":null,\"o\":{},\"a\":[]}");

        assertThat(JsonPaths.text(o, "id")).isEqualTo("16342");
        assertThat(JsonPaths.text(o, "big")).isEqualTo("12345678901234567890");
        assertThat(JsonPaths.text(o, "dec")).isEqualTo("1.5");
        assertThat(JsonPaths.text(o, "exp")).isEqualTo("1000");
        assertThat(JsonPaths.text(o, "s")).isEqualTo("x");
        assertThat(JsonPaths.text(o, "b")).isEqualTo("false");
        assertThat(JsonPaths.text(o, "n")).isNull();
        assertThat(JsonPaths.text(o, "o")).isNull();
        assertThat(JsonPaths.text(o, "a")).isNull();
        assertThat(JsonPaths.text(o, "missing")).isNull();
    }

    @Test
    void itemsOfATopLevelArraySkipNonObjects() throws Exception {
        assertThat(JsonPaths.items(parse("[{\"id\":1},2,{\"id\":3}]"), null))
                .extracting(i -> i.get("id").asInt()).containsExactly(1, 3);
    }

    @Test
    void itemsAtAPath() throws Exception {
        JsonNode page = parse("{\"latest_id\":2,\"events\":[{\"id\":1},{\"id\":2}],\"one\":{\"id\":9}}");

        assertThat(JsonPaths.items(page, "events")).extracting(i -> i.get("id").asInt()).containsExactly(1, 2);
        assertThat(JsonPaths.items(page, "one")).extracting(i -> i.get("id").asInt()).containsExactly(9);
        assertThat(JsonPaths.items(page, "missing")).isEmpty();
        assertThat(JsonPaths.items(page, "latest_id")).isEmpty();
    }

    @Test
    void itemsOfAnEgnyteFolderListingAreItsFilesThenFolders() throws Exception {
        JsonNode listing = parse("{\"name\":\"Docs\",\"files\":[{\"path\":\"/a\"}],\"folders\":[{\"path\":\"/b\"}]}");

        assertThat(JsonPaths.items(listing, null)).extracting(i -> i.get("path").asText()).containsExactly("/a", "/b");
        assertThat(JsonPaths.items(parse("{\"folders\":[{\"path\":\"/b\"}]}"), null)).hasSize(1);
        assertThat(JsonPaths.items(parse("{\"name\":\"x\"}"), null)).isEmpty();
        assertThat(JsonPaths.items(null, null)).isEmpty();
    }

    @Test
    void itemsAreTheResponsesOwnNodes() throws Exception {
        JsonNode page = parse("{\"events\":[{\"id\":1}]}");

        ObjectNode item = JsonPaths.items(page, "events").get(0);

        assertThat(item).isSameAs(page.get("events").get(0));
    }
}
