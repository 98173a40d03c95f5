package dev.egnytebridge.instance;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An instance whose poller cannot be scheduled is not kept. */
class InstanceCreateUndoTest extends InstanceApiTestSupport {

    @Test
    void keepsNothingWhenThePollerCannotBeScheduled() throws Exception {
        refuseScheduling();
        long before = count();
        HttpResponse<String> response;
        try {
            response = create(ALICE, seed("code-unschedulable"));
        } finally {
            allowScheduling();
        }
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).path("message").asText()).as(response.body()).startsWith("Internal error");
        assertThat(response.body()).doesNotContain(API_SECRET, "Exception", "next_poll_at", "TEST_REFUSES_SCHEDULING");
        assertThat(count()).isEqualTo(before);
        assertThat(log.text()).contains("was not kept");
    }
}
