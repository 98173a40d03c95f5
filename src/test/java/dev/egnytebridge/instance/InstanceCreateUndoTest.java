package dev.egnytebridge.instance;

import java.net.http.HttpResponse;

import dev.egnytebridge.poller.PollerScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An instance whose poller cannot be scheduled is not kept. */
class InstanceCreateUndoTest extends InstanceApiTestSupport {

    @Test
    void keepsNothingWhenThePollerCannotBeScheduled() throws Exception {
        context.removeRouteTemplates(PollerScheduler.TEMPLATE_ID);
        long before = count();
        HttpResponse<String> response = create(ALICE, seed("code-unschedulable"));
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).path("message").asText()).as(response.body()).startsWith("Internal error");
        assertThat(response.body()).doesNotContain(API_SECRET, "Exception", PollerScheduler.TEMPLATE_ID);
        assertThat(count()).isEqualTo(before);
        assertThat(log.text()).contains("was not kept");
    }
}
