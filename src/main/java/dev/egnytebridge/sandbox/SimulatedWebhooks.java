package dev.egnytebridge.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Egnyte's native webhooks API for the {@link EgnyteSimulator}: the registrations, the {@code /pubapi/v1/webhooks}
 * calls that manage them, and which added events go to which registration (the {@link WebhookPusher} delivers them).
 * Kept out of the simulator so the events API and the webhooks API can be read separately; request bodies are read
 * by {@link WebhookRequest}.
 *
 * <p>Only a domain administrator's token with scope {@code Egnyte.webhooks} may call it (403 otherwise). A
 * registration needs an https {@code url}, except plain http to a loopback host (the simulator serves tests and the
 * sandbox on loopback); at most {@link #DEFAULT_LIMIT} live registrations per domain by default (409 past it); at most
 * 100 folders in {@code path}. A registration expires {@code ttl} after it was registered or last renewed by a PUT;
 * expired, it is gone (404, not listed, nothing pushed). Thread-safe.
 *
 * <p>The auth header pushes carry: Egnyte documents it inconsistently, so the simulator accepts both readings. With
 * {@code authHeader} and {@code authHeaderValue} (the open SDK's reading: a header name and its value) it sends
 * {@code <authHeader>: <authHeaderValue>}; with only {@code authHeader} (the API reference's one string) it sends
 * {@code Authentication: <authHeader>}, as Egnyte's help desk describes ({@code Token XYZ} arrives as
 * {@code Authentication: Token XYZ}). The details call names that header ({@code authHeader}) but never shows its
 * value, and the list shows neither.
 */
final class SimulatedWebhooks implements WebhookPusher.Registry, AutoCloseable {

    static final String PREFIX = "/pubapi/v1/webhooks";
    static final int DEFAULT_LIMIT = 10;
    static final Duration DEFAULT_TTL = Duration.ofDays(7);
    static final int DEFAULT_FAILURES_TO_DISABLE = 3;

    /** An answer to a webhooks call: a status and a JSON body (null for none). */
    record Answer(int status, JsonNode body) {
    }

    /** A refused call: the status and the errorMessage. */
    private static final class Refusal extends Exception {
        final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Supplier<Instant> clock;
    private final TokenGrants grants;
    private final WebhookPusher pusher;
    private final Map<String, SimulatedWebhook> registrations = new LinkedHashMap<>(); // guarded by this
    private volatile boolean anyRegistered;
    private volatile Duration ttl = DEFAULT_TTL;
    private volatile int limit = DEFAULT_LIMIT;
    private volatile int failuresToDisable = DEFAULT_FAILURES_TO_DISABLE;

    SimulatedWebhooks(Supplier<Instant> clock, TokenGrants grants, String domain) {
        this.clock = clock;
        this.grants = grants;
        this.pusher = new WebhookPusher(domain, this);
    }

    static boolean handles(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    WebhookPusher pusher() {
        return pusher;
    }

    @Override
    public void close() {
        pusher.close();
    }

    // ------------------------------------------------------------------ the API

    /** Answers one call on {@code /pubapi/v1/webhooks...} by a valid token. */
    Answer handle(String method, String path, String body, String token) {
        try {
            if (!grants.hasWebhooksScope(token)) {
                throw new Refusal(403, "Insufficient scope: " + TokenGrants.WEBHOOKS_SCOPE);
            }
            if (!grants.isAdmin(token)) {
                throw new Refusal(403, "Only domain administrators can manage webhooks");
            }
            String[] parts = path.substring(PREFIX.length()).replaceAll("^/+|/+$", "").split("/");
            String id = parts[0];
            String sub = parts.length > 1 ? parts[1] : "";
            if (parts.length > 2) {
                throw new Refusal(404, "No such resource");
            }
            return route(method, id, sub, body);
        } catch (Refusal r) {
            return new Answer(r.status, error(r.getMessage()));
        } catch (WebhookRequest.Invalid e) {
            return new Answer(400, error(e.getMessage()));
        }
    }

    private Answer route(String method, String id, String sub, String body)
            throws Refusal, WebhookRequest.Invalid {
        if (id.isEmpty()) {
            return switch (method) {
                case "GET" -> new Answer(200, list());
                case "POST" -> new Answer(200, register(WebhookRequest.parse(json, body)));
                default -> throw new Refusal(405, "Use GET or POST on " + PREFIX);
            };
        }
        if (sub.isEmpty()) {
            return switch (method) {
                case "PUT" -> new Answer(200, replace(id, WebhookRequest.parse(json, body)));
                case "DELETE" -> delete(id);
                default -> throw new Refusal(405, "Use PUT or DELETE on a webhook");
            };
        }
        return switch (sub + " " + method) {
            case "status GET" -> new Answer(200, statusJson(find(id).status()));
            case "status POST" -> new Answer(200, statusJson(setStatus(id, WebhookRequest.status(json, body))));
            case "details GET" -> new Answer(200, details(find(id)));
            default -> throw new Refusal(sub.equals("status") || sub.equals("details") ? 405 : 404,
                    "No such resource");
        };
    }

    private synchronized ObjectNode register(WebhookRequest r) throws Refusal {
        purgeExpired();
        if (registrations.size() >= limit) {
            throw new Refusal(409, "Webhook limit reached: at most " + limit + " webhooks per domain");
        }
        Instant now = clock.get();
        SimulatedWebhook hook = new SimulatedWebhook(UUID.randomUUID().toString(), r.url(), r.eventTypes(), r.paths(),
                r.authHeader(), r.authHeaderValue(), now, now.plus(ttl), SimulatedWebhook.ENABLED, 0);
        put(hook);
        return summary(hook);
    }

    private synchronized ObjectNode replace(String id, WebhookRequest r) throws Refusal {
        SimulatedWebhook old = find(id);
        SimulatedWebhook hook = new SimulatedWebhook(id, r.url(), r.eventTypes(), r.paths(), r.authHeader(),
                r.authHeaderValue(), old.createdAt(), clock.get().plus(ttl), old.status(), old.failures());
        put(hook);
        return summary(hook);
    }

    private synchronized Answer delete(String id) throws Refusal {
        find(id);
        remove(id);
        return new Answer(204, null);
    }

    private synchronized String setStatus(String id, String status) throws Refusal {
        SimulatedWebhook hook = find(id);
        put(status.equals(SimulatedWebhook.ENABLED) ? hook.withStatus(status, 0) : hook.withStatus(status, hook.failures()));
        if (!status.equals(SimulatedWebhook.ENABLED)) {
            pusher.discard(id);
        }
        return status;
    }

    private synchronized ObjectNode list() {
        purgeExpired();
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray("webhooks");
        for (SimulatedWebhook hook : registrations.values()) {
            ObjectNode o = list.addObject();
            o.put("webhookId", hook.webhookId());
            o.put("url", hook.url());
            putFilters(o, hook);
            o.put("expires", hook.expires().getEpochSecond());
            o.put("status", hook.status());
        }
        return body;
    }

    private ObjectNode details(SimulatedWebhook hook) {
        ObjectNode o = json.createObjectNode();
        o.put("webhookId", hook.webhookId());
        o.put("url", hook.url());
        putFilters(o, hook);
        // the header's name only: its value is a secret
        hook.pushHeader().ifPresent(h -> o.put("authHeader", h.getKey()));
        o.put("expires", hook.expires().getEpochSecond());
        o.put("status", hook.status());
        o.put("createdAt", hook.createdAt().getEpochSecond());
        return o;
    }

    private void putFilters(ObjectNode o, SimulatedWebhook hook) {
        if (!hook.eventTypes().isEmpty()) {
            ArrayNode types = o.putArray("eventType");
            hook.eventTypes().forEach(types::add);
        }
        if (!hook.paths().isEmpty()) {
            o.put("path", String.join(", ", hook.paths()));
        }
    }

    private ObjectNode summary(SimulatedWebhook hook) {
        ObjectNode o = json.createObjectNode();
        o.put("webhookId", hook.webhookId());
        o.put("expires", hook.expires().getEpochSecond());
        o.put("status", hook.status());
        return o;
    }

    private ObjectNode statusJson(String status) {
        return json.createObjectNode().put("status", status);
    }

    private ObjectNode error(String message) {
        return json.createObjectNode().put("errorMessage", message);
    }

    // ------------------------------------------------------------------ events

    /** Whether any registration exists, so bulk inserts skip the work when nobody listens. */
    boolean anyRegistered() {
        return anyRegistered;
    }

    /** Queues an added event for every enabled, unexpired registration whose event types and folders match. */
    synchronized void published(SimulatedEvent event) {
        if (registrations.isEmpty()) {
            return;
        }
        Instant now = clock.get();
        String type = WebhookEvents.eventType(event);
        for (SimulatedWebhook hook : registrations.values()) {
            if (hook.enabled() && !hook.expiredAt(now) && hook.matches(type, event.targetPath())) {
                pusher.enqueue(hook.webhookId(), event);
            }
        }
    }

    // ------------------------------------------------------------------ the pusher's view

    @Override
    public synchronized SimulatedWebhook active(String webhookId) {
        SimulatedWebhook hook = registrations.get(webhookId);
        return hook == null || !hook.enabled() || hook.expiredAt(clock.get()) ? null : hook;
    }

    @Override
    public synchronized void delivered(String webhookId) {
        SimulatedWebhook hook = registrations.get(webhookId);
        if (hook != null && hook.failures() != 0) {
            put(hook.withStatus(hook.status(), 0));
        }
    }

    @Override
    public synchronized void failedPermanently(String webhookId) {
        SimulatedWebhook hook = registrations.get(webhookId);
        if (hook == null) {
            return;
        }
        int failures = hook.failures() + 1;
        boolean disable = failures >= failuresToDisable;
        put(hook.withStatus(disable ? SimulatedWebhook.DISABLED : hook.status(), failures));
        if (disable) {
            pusher.discard(webhookId);
        }
    }

    // ------------------------------------------------------------------ test controls

    synchronized List<SimulatedWebhook> snapshot() {
        purgeExpired();
        return List.copyOf(registrations.values());
    }

    void ttl(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the webhook TTL must be positive");
        }
        this.ttl = ttl;
    }

    void limit(int limit) {
        this.limit = Math.max(0, limit);
    }

    void failuresToDisable(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("at least one failure must disable a webhook");
        }
        this.failuresToDisable = n;
    }

    synchronized void expire(String webhookId) {
        put(existing(webhookId).withExpires(clock.get()));
        purgeExpired();
    }

    synchronized void disable(String webhookId) {
        SimulatedWebhook hook = existing(webhookId);
        put(hook.withStatus(SimulatedWebhook.DISABLED, hook.failures()));
        pusher.discard(webhookId);
    }

    private SimulatedWebhook existing(String webhookId) {
        SimulatedWebhook hook = registrations.get(webhookId);
        if (hook == null) {
            throw new IllegalArgumentException("no webhook " + webhookId);
        }
        return hook;
    }

    // ------------------------------------------------------------------ bookkeeping (under the lock)

    private synchronized SimulatedWebhook find(String id) throws Refusal {
        purgeExpired();
        SimulatedWebhook hook = registrations.get(id);
        if (hook == null) {
            throw new Refusal(404, "Webhook " + id + " not found");
        }
        return hook;
    }

    private void put(SimulatedWebhook hook) {
        registrations.put(hook.webhookId(), hook);
        anyRegistered = true;
    }

    private void remove(String id) {
        registrations.remove(id);
        pusher.discard(id);
        anyRegistered = !registrations.isEmpty();
    }

    private void purgeExpired() {
        Instant now = clock.get();
        for (Iterator<SimulatedWebhook> it = registrations.values().iterator(); it.hasNext(); ) {
            SimulatedWebhook hook = it.next();
            if (hook.expiredAt(now)) {
                it.remove();
                pusher.discard(hook.webhookId());
            }
        }
        anyRegistered = !registrations.isEmpty();
    }
}
