package dev.egnytebridge.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes events to webhook receivers the way Egnyte does, off the thread that added the events: per registration,
 * events that arrive within the batch window or while a push is in flight go out together as one JSON array in event
 * id order; any answer but 200 (or no answer within 5 s) is retried after each delay of the retry schedule (Egnyte
 * retries for about an hour; the simulator's default schedule is compressed to about a minute), and a push that
 * exhausts the schedule is a permanent failure reported to the registry, which disables the registration after
 * several in a row. Every attempt is recorded. Thread-safe.
 */
final class WebhookPusher implements AutoCloseable {

    /** What the pusher needs from the registrations. */
    interface Registry {
        /** The registration if it is still enabled and unexpired, else null (its queued events are then abandoned). */
        SimulatedWebhook active(String webhookId);

        void delivered(String webhookId);

        void failedPermanently(String webhookId);
    }

    static final List<Duration> DEFAULT_RETRY_DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(15), Duration.ofSeconds(30));
    static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(100);
    /** Keeps a bulk insert from becoming one huge body; the rest follows in the next push at once. */
    static final int MAX_EVENTS_PER_PUSH = 500;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int PUSH_LOG_LIMIT = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookPusher.class);

    private final ObjectMapper json = new ObjectMapper();
    private final String domain;
    private final Registry registry;
    private final ScheduledExecutorService timer;
    private final ExecutorService clientPool = SandboxHttp.daemonPool("egnyte-simulator-push", 2);
    private final HttpClient client;
    private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();
    private final List<WebhookPush> pushes = new ArrayList<>();
    private final AtomicInteger toDrop = new AtomicInteger();
    private volatile List<Duration> retryDelays = DEFAULT_RETRY_DELAYS;
    private volatile Duration batchWindow = DEFAULT_BATCH_WINDOW;

    /** Events waiting for one registration; busy while a flush is scheduled or a push is in flight. */
    private static final class Outbox {
        final TreeMap<Long, SimulatedEvent> pending = new TreeMap<>();
        boolean busy;
    }

    WebhookPusher(String domain, Registry registry) {
        this.domain = domain;
        this.registry = registry;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "egnyte-simulator-push-timer");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).executor(clientPool).build();
    }

    /** Queues an event for a registration; the push happens later on the pusher's threads. */
    void enqueue(String webhookId, SimulatedEvent event) {
        Outbox box = outboxes.computeIfAbsent(webhookId, id -> new Outbox());
        synchronized (box) {
            box.pending.put(event.id(), event);
            if (!box.busy) {
                box.busy = true;
                later(() -> flush(webhookId, box), batchWindow);
            }
        }
    }

    /** Forgets the events queued for a registration (deleted, disabled or expired). */
    void discard(String webhookId) {
        Outbox box = outboxes.get(webhookId);
        if (box != null) {
            synchronized (box) {
                box.pending.clear();
            }
        }
    }

    void dropNext(int n) {
        toDrop.addAndGet(Math.max(0, n));
    }

    void retryDelays(List<Duration> delays) {
        for (Duration d : delays) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("retry delays must not be negative");
            }
        }
        this.retryDelays = List.copyOf(delays);
    }

    void batchWindow(Duration window) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("the batch window must not be negative");
        }
        this.batchWindow = window;
    }

    List<WebhookPush> pushes() {
        return SandboxHttp.snapshot(pushes);
    }

    void clearPushes() {
        synchronized (pushes) {
            pushes.clear();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        clientPool.shutdownNow();
    }

    private void flush(String webhookId, Outbox box) {
        List<SimulatedEvent> batch = new ArrayList<>();
        synchronized (box) {
            while (!box.pending.isEmpty() && batch.size() < MAX_EVENTS_PER_PUSH) {
                batch.add(box.pending.pollFirstEntry().getValue());
            }
            if (batch.isEmpty()) {
                box.busy = false;
                return;
            }
        }
        attempt(webhookId, box, batch, 0);
    }

    private void attempt(String webhookId, Outbox box, List<SimulatedEvent> batch, int attempt) {
        SimulatedWebhook hook = registry.active(webhookId);
        if (hook == null) {
            finished(webhookId, box);
            return;
        }
        List<String> ids = batch.stream().map(WebhookEvents::eventId).toList();
        if (toDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            record(new WebhookPush(webhookId, hook.url(), ids, attempt, 0, true, Instant.now()));
            finished(webhookId, box);
            return;
        }
        HttpRequest request;
        try {
            request = request(hook, batch);
        } catch (RuntimeException e) {
            outcome(webhookId, box, batch, attempt, hook.url(), ids, -1);
            return;
        }
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenCompleteAsync((response, error) ->
                outcome(webhookId, box, batch, attempt, hook.url(), ids, error == null ? response.statusCode() : -1),
                timer);
    }

    private void outcome(String webhookId, Outbox box, List<SimulatedEvent> batch, int attempt, String url,
                         List<String> ids, int status) {
        record(new WebhookPush(webhookId, url, ids, attempt, status, false, Instant.now()));
        if (status == 200) {
            registry.delivered(webhookId);
            finished(webhookId, box);
            return;
        }
        List<Duration> delays = retryDelays;
        if (attempt < delays.size()) {
            later(() -> attempt(webhookId, box, batch, attempt + 1), delays.get(attempt));
            return;
        }
        LOG.info("Egnyte simulator: push of {} event(s) to webhook {} failed for good ({})", ids.size(), webhookId,
                status);
        registry.failedPermanently(webhookId);
        finished(webhookId, box);
    }

    private HttpRequest request(SimulatedWebhook hook, List<SimulatedEvent> batch) {
        String body;
        try {
            body = json.writeValueAsString(WebhookEvents.render(json, batch, hook.webhookId(), domain));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hook.url())).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        hook.pushHeader().ifPresent(h -> b.header(h.getKey(), h.getValue()));
        return b.build();
    }

    /** Pushes what arrived meanwhile at once, or goes idle. */
    private void finished(String webhookId, Outbox box) {
        synchronized (box) {
            if (box.pending.isEmpty()) {
                box.busy = false;
            } else {
                later(() -> flush(webhookId, box), Duration.ZERO);
            }
        }
    }

    private void record(WebhookPush push) {
        SandboxHttp.appendBounded(pushes, push, PUSH_LOG_LIMIT);
    }

    private void later(Runnable task, Duration delay) {
        Runnable safe = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Egnyte simulator: webhook push task failed: {}", e.toString());
            }
        };
        try {
            timer.schedule(safe, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: nothing more is pushed
        }
    }
}
