package dev.egnytebridge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.delivery.WebhookSigner;
import dev.egnytebridge.egnyte.EgnyteEventMapper;

/**
 * The practical limit of this machine for the drain: a plain Java loop with the JDK HTTP client that reads the same
 * event pages from the same simulator and POSTs the same notifications (batches of 10, the same JSON shape, both
 * signatures) to the same callbacks. Event pages are read one after the other (synchronous GETs, as the bridge's poll
 * does); POSTs go out beside the reading, at most {@code perEndpoint} in flight to each callback URL (the bridge's
 * {@code bridge.delivery.max-in-flight-per-endpoint}; each benchmark callback is its own endpoint), each sent by one
 * of {@code perEndpoint} threads of its URL with the blocking {@code send}. Not {@code sendAsync}: on a machine where
 * the common fork-join pool has one thread (2 cores), the JDK client completes every {@code sendAsync} on a new
 * thread of its own ({@code CompletableFuture}'s thread-per-task fallback), 10,000 thread starts per drain, which
 * would make the baseline slower and costlier than a raw loop needs to be. No Camel, no database, no deduplication.
 */
final class BaselineDrain {

    private static final int BATCH = 10;

    private final ObjectMapper json = new ObjectMapper();
    private final EgnyteEventMapper mapper = new EgnyteEventMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** Reads every event after {@code cursor} and delivers it; returns the number of notifications POSTed. */
    int drain(String egnyteBaseUrl, String accessToken, long cursor, List<String> callbackUrls, String signatureKey,
              int perEndpoint) throws Exception {
        Map<String, Semaphore> inFlight = new java.util.HashMap<>();
        Map<String, ExecutorService> senders = new java.util.HashMap<>();
        for (String url : callbackUrls) {
            inFlight.put(url, new Semaphore(perEndpoint));
            senders.put(url, Executors.newFixedThreadPool(perEndpoint));
        }
        try {
            return drain(egnyteBaseUrl, accessToken, cursor, callbackUrls, signatureKey, inFlight, senders);
        } finally {
            senders.values().forEach(ExecutorService::shutdownNow);
        }
    }

    private int drain(String egnyteBaseUrl, String accessToken, long cursor, List<String> callbackUrls,
                      String signatureKey, Map<String, Semaphore> inFlight, Map<String, ExecutorService> senders)
            throws Exception {
        AtomicInteger failures = new AtomicInteger();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        int notifications = 0;
        while (true) {
            HttpRequest page = HttpRequest.newBuilder(URI.create(egnyteBaseUrl + "/pubapi/v1/events?id=" + cursor + "&count=100"))
                    .header("Authorization", "Bearer " + accessToken).timeout(Duration.ofSeconds(30)).GET().build();
            HttpResponse<byte[]> response = http.send(page, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 204) {
                break;
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("events page answered " + response.statusCode());
            }
            JsonNode events = json.readTree(response.body()).path("events");
            List<ObjectNode> batch = new ArrayList<>(BATCH);
            for (JsonNode event : events) {
                batch.add(mapper.toHubObject(event));
                cursor = Math.max(cursor, event.path("id").asLong());
                if (batch.size() == BATCH) {
                    notifications += post(batch, callbackUrls, signatureKey, inFlight, senders, failures, pending);
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                notifications += post(batch, callbackUrls, signatureKey, inFlight, senders, failures, pending);
            }
            if (events.size() < 100) {
                break;
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " baseline POSTs failed");
        }
        return notifications;
    }

    private int post(List<ObjectNode> batch, List<String> callbackUrls, String signatureKey, Map<String, Semaphore> inFlight,
                     Map<String, ExecutorService> senders, AtomicInteger failures, List<CompletableFuture<?>> pending)
            throws Exception {
        String eventId = UUID.randomUUID().toString();
        String body = notification(eventId, batch);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (String url : callbackUrls) {
            long timestamp = Instant.now().getEpochSecond();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json").header("Elements-Webhook-Id", eventId)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            for (Map.Entry<String, String> h : WebhookSigner.signatureHeaders(body, eventId, timestamp, signatureKey).entrySet()) {
                request.header(h.getKey(), h.getValue());
            }
            Semaphore slots = inFlight.get(url);
            slots.acquire();
            HttpRequest built = request.build();
            pending.add(CompletableFuture.runAsync(() -> {
                try {
                    if (http.send(built, HttpResponse.BodyHandlers.discarding()).statusCode() / 100 != 2) {
                        failures.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                } finally {
                    slots.release();
                }
            }, senders.get(url)));
        }
        return 1;
    }

    /** The Cloud Elements notification shape the bridge's NotificationFactory builds. */
    private String notification(String eventId, List<ObjectNode> batch) throws Exception {
        ObjectNode message = json.createObjectNode();
        message.put("eventId", eventId);
        message.put("instanceId", 1);
        message.put("instance_id", 1);
        message.put("instanceName", "baseline");
        message.put("elementKey", "egnyte");
        ArrayNode events = message.putArray("events");
        ObjectNode raw = json.createObjectNode();
        raw.put("objectType", "events");
        ArrayNode rawEvents = raw.putArray("events");
        for (ObjectNode hub : batch) {
            ObjectNode event = events.addObject();
            event.put("elementKey", "egnyte");
            event.put("eventType", hub.path(EgnyteEventMapper.EVENT_TYPE).asText("UNKNOWN"));
            event.put("objectId", hub.path(EgnyteEventMapper.EVENT_OBJECT_ID).asText());
            event.put("objectType", "events");
            event.put("date", hub.path(EgnyteEventMapper.EVENT_DATE).asText());
            rawEvents.add(hub);
        }
        message.set("raw", raw);
        ObjectNode root = json.createObjectNode();
        root.set("message", message);
        return json.writeValueAsString(root);
    }
}
