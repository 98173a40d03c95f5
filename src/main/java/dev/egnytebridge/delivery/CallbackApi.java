package dev.egnytebridge.delivery;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.api.ApiAuthenticator;
import dev.egnytebridge.delivery.CallbackHealth.CallbackState;
import dev.egnytebridge.delivery.CallbackHealth.Enabled;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceApi;
import dev.egnytebridge.instance.InstanceCall;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code callbackApi}: the health of an instance's callback URLs in the instance answers of
 * routes/instances-api.yaml (field {@code callbacks}), and re-enabling disabled URLs:
 * {@code POST /instances/{id}/callbacks/enable}, and a PATCH that sets {@code event.notification.callback.url}.
 */
public class CallbackApi {

    static final Set<String> ENABLE_FIELDS = Set.of("callbackUrl");

    private static final Logger LOG = LoggerFactory.getLogger(CallbackApi.class);

    private final CallbackHealth health;
    private final InstanceStore instances;
    private final ObjectMapper mapper;
    private final DeliveryRequests requests;

    CallbackApi(CallbackHealth health, InstanceStore instances, ObjectMapper mapper, DeliveryRequests requests) {
        this.health = health;
        this.instances = instances;
        this.mapper = mapper;
        this.requests = requests;
    }

    /** Route step: adds {@code callbacks} to the rendered instance in the body. */
    public ObjectNode withCallbacks(@Body ObjectNode instance) {
        long id = instance.path("id").asLong();
        instance.set("callbacks", render(health.of(id, DeliveryRequests.callbackUrls(instance.get("configuration")))));
        return instance;
    }

    /** Route step: adds {@code callbacks} to each rendered instance of the list in the body (a few queries in all). */
    public ArrayNode withCallbacksAll(@Body ArrayNode list) {
        Map<Long, List<String>> urls = new LinkedHashMap<>();
        list.forEach(instance -> urls.put(instance.path("id").asLong(),
                DeliveryRequests.callbackUrls(instance.get("configuration"))));
        Map<Long, List<CallbackState>> states = health.of(urls, Instant.now());
        list.forEach(instance -> ((ObjectNode) instance).set("callbacks",
                render(states.getOrDefault(instance.path("id").asLong(), List.of()))));
        return list;
    }

    /**
     * {@code POST /instances/{id}/callbacks/enable} with {@code {"callbackUrl": "..."}}, or without it (or without a
     * body) for every disabled URL of the instance. Answers {@code {"instanceId", "enabled", "released", "callbacks"}}.
     */
    public ObjectNode enable(@Header("id") String id, @ExchangeProperty(ApiAuthenticator.USER) String user,
                             @Body String body) {
        if (user == null) {
            throw new IllegalStateException("The enable route reached the store before authenticating");
        }
        Instance instance = InstanceApi.owned(instances, id, user);
        String callbackUrl = DeliveryRequests.text(requests.object(body, ENABLE_FIELDS, true), "callbackUrl");
        List<String> urls = callbackUrl == null ? health.disabled(instance.id())
                : List.of(DeliveryRequests.callbackUrlOf(instance, callbackUrl, "callbackUrl"));
        Enabled enabled = enable(instance.id(), urls, user);
        ObjectNode answer = mapper.createObjectNode();
        answer.put("instanceId", instance.id());
        answer.put("enabled", enabled.urls().size());
        answer.put("released", enabled.released());
        answer.set("callbacks", render(health.of(instance.id(), DeliveryRequests.callbackUrls(instance))));
        return answer;
    }

    /**
     * Route step of {@code PATCH /instances/{id}}, after the change is stored: a PATCH that sets the callback URLs
     * enables those it lists (no-op for the others and when the PATCH did not set them). Leaves the body as it is.
     */
    public void enablePatched(@ExchangeProperty(InstanceCall.PROPERTY) InstanceCall patch) {
        if (!patch.callbackUrlsToEnable().isEmpty()) {
            enable(patch.instance().id(), patch.callbackUrlsToEnable(), patch.user());
        }
    }

    private Enabled enable(long instanceId, List<String> urls, String user) {
        Enabled enabled = health.enable(instanceId, urls);
        if (!enabled.urls().isEmpty()) {
            LOG.info("User {} enabled {} callback URL(s) of instance {} ({}): {} held deliveries are due now", user,
                    enabled.urls().size(), instanceId,
                    String.join(", ", enabled.urls().stream().map(Delivery::loggableUrl).toList()), enabled.released());
        }
        if (enabled.released() > 0) {
            requests.wakeDispatcher();
        }
        return enabled;
    }

    /** The callbacks as the API shows them; absent values are left out. */
    ArrayNode render(List<CallbackState> states) {
        ArrayNode array = mapper.createArrayNode();
        for (CallbackState s : states) {
            ObjectNode json = array.addObject();
            json.put("url", s.url());
            json.put("state", s.state().json());
            putDate(json, "failingSince", s.failingSince());
            putText(json, "lastError", s.lastError());
            json.put("pending", s.pending());
            putText(json, "disabledReason", s.disabledReason());
            putDate(json, "disabledAt", s.disabledAt());
            putDate(json, "circuitOpenUntil", s.circuitOpenUntil());
            putDate(json, "throttledUntil", s.throttledUntil());
        }
        return array;
    }

    private static void putDate(ObjectNode json, String field, Instant value) {
        if (value != null) {
            json.put(field, value.truncatedTo(ChronoUnit.MILLIS).toString());
        }
    }

    private static void putText(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }
}
