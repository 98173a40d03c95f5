package dev.egnytebridge.poller;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.sandbox.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** "Copy the events configuration to poll other resources": a folder listing polled by date window. */
class DatedResourcePipelineTest extends PipelineTestSupport {

    private ObjectNode filesResource(String url) {
        ObjectNode files = JSON.createObjectNode();
        files.put("url", url);
        files.put("idField", "group_id");
        files.put("itemsPath", "files");
        files.put("createdCheckTolerance", 2);
        ObjectNode dates = files.putObject("datesConfiguration");
        dates.put("updatedDateField", "last_modified");
        dates.put("updatedDateFormat", "EEE, dd MMM yyyy HH:mm:ss zzz");
        dates.put("updatedDateTimezone", "GMT");
        dates.put("createdDateField", "uploaded");
        dates.put("createdDateFormat", "milliseconds");
        ObjectNode configuration = JSON.createObjectNode();
        configuration.set("files", files);
        return configuration;
    }

    @Test
    void deliversFilesChangedInsideTheWindowAsCreatedOrUpdated() throws Exception {
        Instant longAgo = Instant.now().minus(Duration.ofDays(3));
        egnyte.putFile("/Shared/Docs/before.txt", longAgo, longAgo);
        Instance instance = createInstance(sink.url("/files"), null, filesResource("/pubapi/v1/fs/Shared/Docs"));
        await().atMost(Duration.ofSeconds(20)).until(() -> cursors().find(instance.id(), "files").isPresent());

        Instant now = Instant.now();
        egnyte.putFile("/Shared/Docs/new.txt", now, now);
        egnyte.putFile("/Shared/Docs/before.txt", longAgo, now);

        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/files").size() >= 2);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> objectIds("/files").size() == 2);
        List<JsonNode> events = messages("/files").stream()
                .flatMap(m -> {
                    List<JsonNode> list = new java.util.ArrayList<>();
                    m.path("events").forEach(list::add);
                    return list.stream();
                }).toList();
        assertThat(events).extracting(e -> e.path("objectType").asText()).containsOnly("files");
        JsonNode created = messages("/files").stream().flatMap(m -> {
            List<JsonNode> raw = new java.util.ArrayList<>();
            m.path("raw").path("events").forEach(raw::add);
            return raw.stream();
        }).filter(r -> r.path("name").asText().equals("new.txt")).findFirst().orElseThrow();
        String createdId = created.path("group_id").asText();
        assertThat(events).filteredOn(e -> e.path("objectId").asText().equals(createdId))
                .extracting(e -> e.path("eventType").asText()).containsExactly("CREATED");
        assertThat(events).filteredOn(e -> !e.path("objectId").asText().equals(createdId))
                .extracting(e -> e.path("eventType").asText()).containsExactly("UPDATED");
        assertThat(events).allSatisfy(e -> assertThat(e.path("date").asText()).endsWith("Z"));
    }

    private List<RecordedRequest> withPlaceholders() {
        return egnyte.requestsTo("/pubapi/v1/fs/Shared/Docs").stream().filter(r -> r.queryParam("since") != null).toList();
    }

    @Test
    void asksEgnyteForPageSizeItems() throws Exception {
        ObjectNode configuration = filesResource("/pubapi/v1/fs/Shared/Paged");
        ((ObjectNode) configuration.get("files")).put("pageSize", 25);
        createInstance(sink.url("/paged-files"), null, configuration);
        await().atMost(Duration.ofSeconds(20)).until(() -> !egnyte.requestsTo("/pubapi/v1/fs/Shared/Paged").isEmpty());
        assertThat(egnyte.requestsTo("/pubapi/v1/fs/Shared/Paged").get(0).queryParam("count")).isEqualTo("25");
    }

    @Test
    void fillsDatePlaceholdersFromTheWindowStart() throws Exception {
        Instance instance = createInstance(sink.url("/placeholders"), null, filesResource(
                "/pubapi/v1/fs/Shared/Docs?since=${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}&local=${date:yyyy-MM-dd}"
                        + "&ms=${epoch}&s=${epoch:s}&millis=${milliseconds}"));
        await().atMost(Duration.ofSeconds(20)).until(() -> withPlaceholders().size() >= 2);

        RecordedRequest second = withPlaceholders().get(1);
        Instant since = Instant.from(DateTimeFormatter.ISO_INSTANT.parse(
                URLDecoder.decode(second.queryParam("since"), StandardCharsets.UTF_8)));
        long ms = Long.parseLong(second.queryParam("ms"));
        assertThat(Long.parseLong(second.queryParam("s"))).isEqualTo(ms / 1000);
        assertThat(second.queryParam("millis")).isEqualTo(String.valueOf(ms));
        assertThat(since.getEpochSecond()).isEqualTo(ms / 1000);
        assertThat(second.queryParam("local")).isEqualTo(
                DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC).format(since));
        // the second window starts where the first ended (less the overlap), after the instance was created
        assertThat(since).isAfterOrEqualTo(instance.createdDate().minusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    @Test
    void overThePerSecondLimitTheResourceIsAskedAgainWithinThePoll() throws Exception {
        Instant longAgo = Instant.now().minus(Duration.ofDays(3));
        egnyte.putFile("/Shared/Limited/old.txt", longAgo, longAgo);
        Instance instance = createInstance(sink.url("/files-over-qps"), null, filesResource("/pubapi/v1/fs/Shared/Limited"));
        await().atMost(Duration.ofSeconds(20)).until(() -> cursors().find(instance.id(), "files").isPresent());

        egnyte.rateLimitNext(1, dev.egnytebridge.sandbox.EgnyteSimulator.OVER_QPS, 1);
        Instant now = Instant.now();
        egnyte.putFile("/Shared/Limited/limited.txt", now, now);

        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/files-over-qps").size() == 1);
        assertThat(failedPolls(instance)).as("no poll failed: call-egnyte waited Retry-After and asked again").isZero();
    }
}
