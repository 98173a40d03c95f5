package dev.egnytebridge.delivery;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.poller.PolledObject;

/**
 * Builds the Cloud Elements notification for one batch of polled objects: the normalized {@code events} and, in
 * {@code raw}, the batch's own hub objects, numbered by {@code message.sequence}. The body is serialized once, here, so what is stored is what is signed
 * and sent.
 */
public class NotificationFactory {

    /** Numbers notifications per instance: {@code message.sequence}. */
    @FunctionalInterface
    public interface Sequence {
        long next(long instanceId);
    }

    private final ObjectMapper mapper;
    private final Sequence sequence;

    public NotificationFactory(ObjectMapper mapper, Sequence sequence) {
        this.mapper = mapper;
        this.sequence = sequence;
    }

    /**
     * The newest of the objects' dates, or null when none is an ISO 8601 instant. ISO 8601 UTC instants sort as text to
     * the second, so only the greatest is parsed (within one second a date without a fraction may be taken for the
     * newest: the lag gauge it feeds counts seconds).
     */
    static Instant newestDate(List<PolledObject> batch) {
        String newest = null;
        for (PolledObject object : batch) {
            if (object.date() != null && (newest == null || object.date().compareTo(newest) > 0)) {
                newest = object.date();
            }
        }
        try {
            return newest == null ? null : Instant.parse(newest);
        } catch (DateTimeParseException notAnInstant) {
            return null; // a resource whose dates are not ISO instants: no lag from it
        }
    }

    public Notification build(Instance instance, String resource, List<PolledObject> batch) {
        if (batch == null || batch.isEmpty()) {
            throw new IllegalArgumentException("A notification needs at least one polled object");
        }
        String eventId = UUID.randomUUID().toString();
        ObjectNode message = mapper.createObjectNode();
        message.put("eventId", eventId);
        message.put("instanceId", instance.id());
        message.put("instance_id", instance.id());
        message.put("instanceName", instance.name());
        message.put("elementKey", instance.elementKey());
        long number = sequence.next(instance.id());
        message.put("sequence", number);
        ArrayNode events = message.putArray("events");
        ObjectNode raw = mapper.createObjectNode();
        raw.put("objectType", resource);
        ArrayNode rawEvents = raw.putArray("events");
        for (PolledObject object : batch) {
            ObjectNode event = events.addObject();
            event.put("elementKey", instance.elementKey());
            event.put("eventType", object.eventType());
            event.put("objectId", object.objectId());
            event.put("objectType", resource);
            if (object.date() != null) {
                event.put("date", object.date());
            }
            rawEvents.add(object.raw() == null ? mapper.createObjectNode() : object.raw());
        }
        message.set("raw", raw);
        ObjectNode root = mapper.createObjectNode();
        root.set("message", message);
        try {
            return new Notification(eventId, instance.id(), resource, batch.size(), number,
                    mapper.writeValueAsString(root), newestDate(batch));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize notification for instance " + instance.id(), e);
        }
    }
}
