package dev.egnytebridge.push;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Properties;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.observe.BridgeMetrics;
import dev.egnytebridge.poller.PipelineTestSupport;
import io.micrometer.core.instrument.Counter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Instances in webhooks mode against the Egnyte simulator, with this bridge's own loopback address as its public base
 * URL (as the sandbox has it), so the simulator's pushes reach the real receiver.
 */
abstract class PushTestSupport extends PipelineTestSupport {

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("bridge.public-base-url", baseUrl());
        p.setProperty("egnyte.rate-limit.qps", "1000");
        return p;
    }

    /** An instance in webhooks mode with the seed's events resource, polled every {@code backstopMinutes}. */
    protected Instance createPushInstance(String callbackUrl, String backstopMinutes) throws Exception {
        return createPushInstance(callbackUrl, backstopMinutes, eventsResource("/hubs/documents/events"));
    }

    protected Instance createPushInstance(String callbackUrl, String backstopMinutes, ObjectNode resources)
            throws Exception {
        // complete enough for the REST API's PATCH and DELETE of these instances
        ObjectNode extra = JSON.createObjectNode().put("event.vendor.type", "webhooks")
                .put("oauth.api.key", "test-client").put("oauth.callback.url", "https://app.example.com/oauth");
        Instance instance = createInstance(callbackUrl, null, resources, backstopMinutes, extra);
        registrations().refresh(instance); // as the REST API's create flow does (keep-push-in-step-on-create)
        return instance;
    }

    protected PushRegistrations registrations() {
        return context.getRegistry().lookupByNameAndType("pushRegistrations", PushRegistrations.class);
    }

    protected PushRegistration registration(Instance instance) {
        return registrations().find(instance.id()).orElseThrow();
    }

    protected JdbcTemplate jdbc() {
        return context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
    }

    /** Polls of the instance that ended well on this node (the bridge.polls metric). */
    protected double polls(Instance instance) {
        Counter ok = BridgeMetrics.of(context).registry().find("bridge.polls")
                .tag(BridgeMetrics.INSTANCE_ID, String.valueOf(instance.id())).tag("outcome", "ok").counter();
        return ok == null ? 0 : ok.count();
    }

    /** Whether no poll of the instance is claimed or running now. */
    protected boolean notPolling(Instance instance) {
        return jdbc().queryForObject("SELECT COUNT(*) FROM element_instance WHERE id = ? AND poll_lease_owner IS NOT NULL",
                Integer.class, instance.id()) == 0;
    }

    /** A push as Egnyte sends it: POST of a JSON array to the receiver with the registered auth header. */
    protected HttpResponse<String> push(String hookKey, String header, String value, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/events/egnyte/" + hookKey))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (header != null) {
            request.header(header, value);
        }
        return send(request);
    }

    protected HttpResponse<String> push(Instance instance) {
        return push(registration(instance).hookKey(), PushLifecycle.AUTH_HEADER,
                registrations().authValue(instance.id()), "[{\"eventId\": \"1\", \"eventType\": \"fs:add_file\"}]");
    }
}
