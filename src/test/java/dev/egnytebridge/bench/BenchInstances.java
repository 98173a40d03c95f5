package dev.egnytebridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The configuration of the i-th benchmark instance: events feed only, a callback nobody listens on. */
final class BenchInstances {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchInstances() {
    }

    static ObjectNode configuration(int i, long intervalSeconds) {
        ObjectNode configuration = JSON.createObjectNode();
        configuration.put("subdomain", "acme" + i);
        configuration.put("event.notification.enabled", true);
        configuration.put("event.notification.callback.url", "http://127.0.0.1:9/hook/" + i);
        configuration.put("event.poller.refresh_interval", String.valueOf(intervalSeconds / 60.0));
        ObjectNode events = JSON.createObjectNode();
        events.put("url", "/hubs/documents/events");
        events.put("idField", "event_object_id");
        configuration.putObject("event.poller.configuration").set("events", events);
        return configuration;
    }
}
