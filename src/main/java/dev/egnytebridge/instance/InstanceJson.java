package dev.egnytebridge.instance;

import java.time.Instant;
import java.util.Map;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How an instance is shown: Cloud Elements' fields, dates in ISO-8601 UTC, every secret masked, no access token. */
final class InstanceJson {

    private InstanceJson() {
    }

    /** The instance; {@code token} is shown only in the answer to its creation (null otherwise). */
    static ObjectNode render(ObjectMapper mapper, Instance instance, String token, Map<String, String> positions) {
        ObjectNode json = mapper.createObjectNode();
        json.put("id", instance.id());
        json.put("name", instance.name());
        if (token != null) {
            json.put("token", token);
        }
        ObjectNode element = json.putObject("element");
        element.put("key", instance.elementKey());
        element.put("name", "Egnyte");
        element.put("hub", "documents");
        var tags = json.putArray("tags");
        instance.tags().forEach(tags::add);
        json.put("createdDate", iso(instance.createdDate()));
        json.put("eventsEnabled", instance.eventsEnabled());
        json.put("valid", instance.valid());
        json.put("disabled", instance.disabled());
        json.putObject("user").put("id", instance.owner());
        json.set("configuration", maskedConfiguration(instance));
        // how the poller is doing: last poll, failures in a row, a disabled poller, a pause for Egnyte's daily quota
        PollerState state = instance.pollerState();
        ObjectNode poller = json.putObject("poller");
        poller.put("disabled", state.pollerDisabled());
        poller.put("consecutiveFailures", state.consecutiveFailures());
        poller.put("lastPollDate", iso(state.lastPollAt()));
        poller.put("lastPollStatus", state.lastPollStatus());
        poller.put("lastPollError", state.lastPollError());
        poller.put("pausedUntil", iso(state.pausedUntil()));
        poller.put("pausedReason", state.pausedReason());
        // where each resource stands: the Egnyte event cursor, or the end of the last date window
        ObjectNode cursors = poller.putObject("cursors");
        positions.forEach(cursors::put);
        return json;
    }

    /** The configuration as the user gave it, each secret it holds shown as {@value InstanceRequests#MASK}. */
    static ObjectNode maskedConfiguration(Instance instance) {
        ObjectNode configuration = instance.configuration().deepCopy();
        if (instance.secrets().apiSecret() != null) {
            configuration.put(InstanceRequests.API_SECRET, InstanceRequests.MASK);
        }
        if (instance.secrets().hasSignatureKey()) {
            configuration.put(InstanceRequests.SIGNATURE_KEY, InstanceRequests.MASK);
        }
        return configuration;
    }

    static String iso(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
