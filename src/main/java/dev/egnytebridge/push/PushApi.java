package dev.egnytebridge.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.api.ApiAuthenticator;
import dev.egnytebridge.api.ApiException;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceApi;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * Bean {@code pushApi}: the instance's push state in GET /instances/{id} ({@code push}: state, reason, webhookId,
 * expires, lastPushAt), and POST /instances/{id}/push, the user's "try again now". Nothing of the push secret or the
 * hook key is ever shown: the hook key is as good as a password for the receiver's first check.
 */
public class PushApi {

    private final PushRegistrations registrations;
    private final InstanceStore instances;

    public PushApi(PushRegistrations registrations, InstanceStore instances) {
        this.registrations = registrations;
        this.instances = instances;
    }

    /** Route step {@code get-instance-push}: adds {@code push} to the rendered instance of an instance in webhooks mode. */
    public ObjectNode withPush(@Body ObjectNode instance) {
        registrations.find(instance.path("id").asLong()).ifPresent(registration -> render(instance, registration));
        return instance;
    }

    private static void render(ObjectNode instance, PushRegistration registration) {
        ObjectNode push = instance.putObject("push");
        push.put("state", registration.state().json());
        push.put("reason", registration.reason());
        push.put("webhookId", registration.webhookId());
        push.put("expires", registration.expiresAt() == null ? null : registration.expiresAt().toString());
        push.put("lastPushAt", registration.lastPushAt() == null ? null : registration.lastPushAt().toString());
    }

    /**
     * Route step {@code retry-push-registration}: the registration is looked after at once (registered again after a
     * refusal, say); answers the push state as it is now ("pending" work shows in GET a moment later).
     */
    public ObjectNode retry(@Header("id") String id, @ExchangeProperty(ApiAuthenticator.USER) String user) {
        Instance instance = InstanceApi.owned(instances, id, user);
        if (!instance.polling().webhooks() || registrations.find(instance.id()).isEmpty()) {
            throw ApiException.badField("configuration.event.vendor.type",
                    "the instance does not use Egnyte's webhooks (set it to webhooks first)");
        }
        registrations.retry(instance.id());
        ObjectNode answer = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        answer.put("id", instance.id());
        render(answer, registrations.find(instance.id()).orElseThrow());
        return answer;
    }
}
