package dev.egnytebridge.push;

import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.poller.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance stored in webhooks mode on a bridge that no longer has bridge.public-base-url (the property removed after
 * the instance chose webhooks): nothing Egnyte could call, so no registration is attempted, and the state says why.
 */
class PushWithoutPublicBaseUrlTest extends PipelineTestSupport {

    @Test
    void noRegistrationIsAttemptedAndTheStateNamesTheMissingProperty() throws Exception {
        ObjectNode extra = JSON.createObjectNode().put("event.vendor.type", "webhooks");
        Instance instance = createInstance(sink.url("/no-base"), null, eventsResource("/hubs/documents/events"), "60", extra);
        PushRegistrations registrations = context.getRegistry().lookupByNameAndType("pushRegistrations",
                PushRegistrations.class);

        registrations.refresh(instance);

        await().atMost(Duration.ofSeconds(30)).until(() -> registrations.find(instance.id())
                .filter(r -> r.state() == PushState.REFUSED).isPresent());
        assertThat(registrations.find(instance.id()).orElseThrow().reason()).contains("bridge.public-base-url");
        assertThat(egnyte.requestsTo("/pubapi/v1/webhooks")).isEmpty();
    }
}
