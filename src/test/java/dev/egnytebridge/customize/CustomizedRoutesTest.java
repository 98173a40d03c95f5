package dev.egnytebridge.customize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.poller.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edits of docs/customizing.md, each in a route the bridge really runs:
 * src/test/resources/customize/poll-handoff.yaml is loaded in place of routes/poll-handoff.yaml (routes-include-pattern
 * plus routes-exclude-pattern), and an XML route dropped into an extra routes folder runs next to the YAML ones.
 */
class CustomizedRoutesTest extends PipelineTestSupport {

    private final Path extraRoutes = dataDir.resolve("extra-routes");
    private final Path copies = dataDir.resolve("copies");
    private final Path xmlOut = dataDir.resolve("xml-out");

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("camel.main.routes-include-pattern", "file:routes/*.yaml,file:routes/*.xml,"
                + "classpath:customize/poll-handoff.yaml,file:" + extraRoutes + "/*.xml");
        p.setProperty("camel.main.routes-exclude-pattern", "file:routes/poll-handoff.yaml");
        p.setProperty("bridge.custom.notification-copy-dir", copies.toString());
        writeXmlRoute();
        return p;
    }

    /** What a user drops into a routes folder: a plain Camel XML route, no Java. */
    private void writeXmlRoute() {
        try {
            Files.createDirectories(extraRoutes);
            Files.writeString(extraRoutes.resolve("hello.xml"), """
                    <routes xmlns="http://camel.apache.org/schema/xml-io">
                      <route id="hello-from-xml">
                        <from uri="timer:hello-from-xml?repeatCount=1&amp;delay=100"/>
                        <setBody><simple>instances known: ${bean:instanceStore?method=findPollable}</simple></setBody>
                        <to uri="file:%s?fileName=hello.txt"/>
                      </route>
                    </routes>
                    """.formatted(xmlOut));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anXmlRouteDroppedIntoTheRoutesFolderRuns() {
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(xmlOut.resolve("hello.txt")));
        assertThat(context.getRoute("hello-from-xml")).isNotNull();
        assertThat(context.getRoute("hello-from-xml").getSourceLocation()).contains("extra-routes/hello.xml");
    }

    @Test
    void theCustomizedHandOffReplacesTheShippedOne() {
        assertThat(context.getRoute("hand-off-new-objects").getSourceLocation()).contains("customize/poll-handoff.yaml");
        assertThat(context.getRoute("copy-notification-to-file")).isNotNull();
    }

    @Test
    void eachNotificationIsAlsoWrittenToTheCopyFolder() throws Exception {
        Instance instance = createInstance(sink.url("/copied"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
        egnyte.addEvent("create", "/Shared/copied.docx", false);
        await().atMost(Duration.ofSeconds(20)).until(() -> messages("/copied").size() == 1);
        String eventId = messages("/copied").get(0).path("eventId").asText();
        Path copy = copies.resolve(eventId + ".json");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(copy));
        String delivered = sink.received("/copied").get(0).body();
        assertThat(Files.readString(copy)).isEqualTo(delivered);
    }

    @Test
    void objectsUnderSharedPrivateAreNeverDelivered() throws Exception {
        Instance instance = createInstance(sink.url("/filtered"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
        long secret = egnyte.addEvent("create", "/Shared/Private/salaries.xlsx", false);
        long visible = egnyte.addEvent("create", "/Shared/Public/menu.pdf", false);
        long privateToo = egnyte.addEvent("create", "/Shared/Private/board/minutes.docx", false);
        await().atMost(Duration.ofSeconds(20)).until(() -> String.valueOf(privateToo).equals(cursorOf(instance, "events")));
        await().atMost(Duration.ofSeconds(20)).until(() -> objectIds("/filtered").contains(String.valueOf(visible)));
        assertThat(objectIds("/filtered")).containsExactly(String.valueOf(visible))
                .doesNotContain(String.valueOf(secret), String.valueOf(privateToo));
    }

    @Test
    void notificationsCarryTheAddedFieldAndStaySigned() throws Exception {
        sink.expectSignatureKey("customize-signing-key");
        try {
            signedAndShaped();
        } finally {
            sink.expectSignatureKey(null);
        }
    }

    private void signedAndShaped() throws Exception {
        Instance instance = createInstance(sink.url("/shaped"), "customize-signing-key");
        await().atMost(Duration.ofSeconds(20)).until(() -> cursorOf(instance, "events") != null);
        egnyte.addEvent("create", "/Shared/shaped.docx", false);
        await().atMost(Duration.ofSeconds(20)).until(() -> messages("/shaped").size() == 1);
        JsonNode message = messages("/shaped").get(0);
        assertThat(message.path("source").asText()).isEqualTo("egnyte-events-bridge");
        assertThat(message.path("events").get(0).path("eventType").asText()).isEqualTo("CREATED");
        assertThat(sink.received("/shaped").get(0).signature()).isEqualTo(dev.egnytebridge.sandbox.CallbackSink.SignatureStatus.VALID);
    }
}
