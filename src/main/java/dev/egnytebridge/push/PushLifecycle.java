package dev.egnytebridge.push;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.egnyte.EgnyteAnswer;
import dev.egnytebridge.egnyte.EgnyteRequest;
import dev.egnytebridge.egnyte.EgnyteResponses;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.instance.PollingConfiguration;
import dev.egnytebridge.instance.ResourceConfig;
import dev.egnytebridge.push.PushSync.Step;
import dev.egnytebridge.security.PublicBaseUrl;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code pushLifecycle}: what each upkeep of a webhook registration does at Egnyte and what Egnyte's answers
 * mean for it (routes/egnyte-push.yaml). An instance that wants one (webhooks mode, events on, enabled, authorized)
 * is registered, replaced when its filters change, renewed before it expires, checked now and then and enabled again
 * if Egnyte disabled it; one that no longer wants it has it deleted. A refusal (not an admin, limit reached, scope
 * missing) stays until the user changes the instance or asks again; any other failure is tried again later. The
 * instance polls on its interval throughout, so nothing here can lose an event.
 */
public class PushLifecycle {

    /**
     * The header Egnyte is asked to send with each push ({@code authHeader}), its value a random secret of the
     * instance ({@code authHeaderValue}): the open SDK's reading of Egnyte's API. The receiver also accepts the value
     * in {@code Authentication} (the help desk's reading).
     */
    public static final String AUTH_HEADER = "X-Bridge-Push-Token";
    static final String WEBHOOKS_PATH = "/pubapi/v1/webhooks";
    private static final Logger LOG = LoggerFactory.getLogger(PushLifecycle.class);

    private final PushRegistrations registrations;
    private final InstanceStore instances;
    private final PublicBaseUrl publicBase;
    private final ObjectMapper mapper;
    private final PushTimings timings;

    public PushLifecycle(PushRegistrations registrations, InstanceStore instances, PublicBaseUrl publicBase,
                         ObjectMapper mapper, PushTimings timings) {
        this.registrations = registrations;
        this.instances = instances;
        this.publicBase = publicBase;
        this.mapper = mapper;
        this.timings = timings;
    }

    /** Route step {@code read-registration}: the upkeep of a claimed registration, and its first call. */
    public PushSync begin(@Body Long instanceId) {
        PushRegistration registration = registrations.find(instanceId).orElse(null);
        Instance instance = instances.find(instanceId).orElse(null);
        if (registration == null || instance == null) {
            return new PushSync(instance, null, null, false, null); // deleted meanwhile: nothing to look after
        }
        String offReason = offReason(instance);
        PushSync sync = new PushSync(instance, registration, wanted(instance, registration), false, offReason);
        if (offReason != null) {
            if (!instance.polling().webhooks()) {
                sync.forgetRow();
            }
            // a rejected token cannot delete it: it stays until the instance is authorized again (then replaced) or
            // expires at Egnyte, and its pushes meanwhile find nothing to poll
            boolean tokenUsable = instance.valid() && instance.secrets().accessToken() != null;
            if (registration.webhookId() != null && tokenUsable) {
                sync.next(Step.DELETE);
            } else {
                sync.end(PushState.OFF, offReason, null);
            }
        } else if (!publicBase.isSet()) {
            // the property was removed after the instance chose webhooks: nothing Egnyte could call
            sync.end(PushState.REFUSED, PublicBaseUrl.PROPERTY + " is not set on this bridge: Egnyte's webhooks have no "
                    + "address to call (set it, then POST /instances/{id}/push)", null);
        } else if (registration.webhookId() == null) {
            sync.next(Step.REGISTER);
        } else if (!sync.wanted().equals(registration.registered()) || renewalDue(registration.expiresAt())) {
            sync.next(Step.REPLACE);
        } else {
            sync.next(Step.CHECK);
        }
        return sync;
    }

    /** Route step {@code read-registration-of-deleted-instance}: the instance goes, and its registration at Egnyte. */
    public PushSync beginDeletion(@Body Instance instance) {
        PushRegistration registration = registrations.find(instance.id()).orElse(null);
        PushSync sync = new PushSync(instance, registration, null, true, "the instance was deleted");
        if (registration != null && registration.webhookId() != null && instance.secrets().accessToken() != null) {
            sync.next(Step.DELETE);
        }
        return sync;
    }

    /** Why the instance wants no registration now, or null when it wants one. */
    private static String offReason(Instance instance) {
        if (!instance.polling().webhooks()) {
            return "the instance polls (" + PollingConfiguration.VENDOR_TYPE + " is " + PollingConfiguration.POLLING + ")";
        }
        if (!instance.eventsEnabled()) {
            return "the instance's events are off";
        }
        if (instance.disabled()) {
            return "the instance is disabled";
        }
        if (!instance.valid() || instance.secrets().accessToken() == null) {
            return "the instance needs a new authorization code";
        }
        return null;
    }

    private boolean renewalDue(Instant expiresAt) {
        return expiresAt != null && !Instant.now().isBefore(expiresAt.minus(timings.renewBefore()));
    }

    /**
     * The registration the instance wants, as Egnyte's webhooks API takes it: the receiver URL of its hook key and
     * the filters of its events feed resource ({@code folder} becomes {@code path}; {@code type=file_system} becomes
     * {@code eventType ["fs:*"]}). Without the auth header: that is added when sent, and never stored in clear.
     */
    private String wanted(Instance instance, PushRegistration registration) {
        ObjectNode spec = mapper.createObjectNode();
        spec.put("url", publicBase.isSet() ? publicBase.receiverUrl(registration.hookKey()) : "");
        ResourceConfig feed = instance.polling().eventsFeed();
        if (feed != null) {
            List<String> folders = new ArrayList<>();
            String type = null;
            for (String pair : feed.query().split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = pair.substring(0, eq);
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (name.equals("folder") && !value.isBlank()) {
                    folders.add(value.trim());
                } else if (name.equals("type")) {
                    type = value.trim();
                }
            }
            if ("file_system".equals(type)) {
                spec.putArray("eventType").add("fs:*");
            }
            if (!folders.isEmpty()) {
                spec.put("path", String.join(", ", folders));
            }
        }
        return spec.toString();
    }

    /** Route step {@code ask-egnyte}: the call the upkeep makes next. */
    public EgnyteRequest request(@ExchangeProperty(PushSync.PROPERTY) PushSync sync) {
        sync.called();
        Instance instance = sync.instance();
        String token = instance.secrets().accessToken();
        String id = sync.webhookId();
        EgnyteRequest request = switch (sync.step()) {
            case REGISTER -> EgnyteRequest.withJson("POST", instance.subdomain(), token, WEBHOOKS_PATH, body(sync));
            case REPLACE -> EgnyteRequest.withJson("PUT", instance.subdomain(), token, WEBHOOKS_PATH + "/" + id, body(sync));
            case CHECK -> EgnyteRequest.get(instance.subdomain(), token, WEBHOOKS_PATH + "/" + id + "/details", null);
            case ENABLE -> EgnyteRequest.withJson("POST", instance.subdomain(), token, WEBHOOKS_PATH + "/" + id + "/status",
                    "{\"status\":\"enabled\"}");
            case DELETE -> EgnyteRequest.withJson("DELETE", instance.subdomain(), token, WEBHOOKS_PATH + "/" + id, null);
        };
        return request.forInstance(instance.id());
    }

    private String body(PushSync sync) {
        try {
            ObjectNode body = (ObjectNode) mapper.readTree(sync.wanted());
            body.put("authHeader", AUTH_HEADER);
            body.put("authHeaderValue", registrations.authValue(sync.instance().id()));
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the webhook registration", e);
        }
    }

    /** Route step {@code read-egnyte-answer}: what Egnyte's answer means, and whether another call follows. */
    public void record(@Body EgnyteAnswer answer, @ExchangeProperty(PushSync.PROPERTY) PushSync sync) {
        Step step = sync.step();
        long instanceId = sync.instance().id();
        if (answer.successful()) {
            succeeded(step, answer, sync);
        } else if (answer.status() == 404 && step != Step.REGISTER) {
            if (step == Step.DELETE) {
                sync.unregistered();
                sync.end(PushState.OFF, sync.offReason(), null);
            } else {
                // Egnyte no longer knows it: it expired (or was deleted by hand); register it again at once
                LOG.info("Egnyte no longer knows the webhook of instance {}; registering it again", instanceId);
                sync.unregistered();
                sync.end(PushState.EXPIRED, "Egnyte no longer knew the registration (it expired)", null);
                sync.next(Step.REGISTER);
            }
        } else if (refusal(answer) && (step == Step.REGISTER || step == Step.REPLACE)) {
            String why = "Egnyte refused the registration (" + answer.status() + "): " + egnyteMessage(answer)
                    + hint(answer);
            LOG.warn("Instance {} keeps polling on its interval: {}", instanceId, why);
            sync.end(PushState.REFUSED, why, null);
        } else if (step == Step.ENABLE) {
            sync.failed();
            sync.end(PushState.DISABLED, "Egnyte disabled the webhook and enabling it again failed ("
                    + answer.status() + "): " + egnyteMessage(answer), retryAt(sync, answer));
        } else {
            failed(sync, "Egnyte answered " + answer.status() + ": " + egnyteMessage(answer), retryAt(sync, answer));
        }
    }

    private void succeeded(Step step, EgnyteAnswer answer, PushSync sync) {
        JsonNode body = answer.body().isBlank() ? mapper.createObjectNode() : answer.json();
        switch (step) {
            case REGISTER, REPLACE -> {
                String id = step == Step.REGISTER ? body.path("webhookId").asText(null) : sync.webhookId();
                if (id == null || id.isBlank()) {
                    failed(sync, "Egnyte's answer to the registration has no webhookId", retryAt(sync, answer));
                    return;
                }
                Instant expires = expires(body, step == Step.REGISTER ? null : sync.expiresAt());
                sync.registered(id, expires, sync.wanted());
                LOG.info("Egnyte webhook {} of instance {} {} (expires {})", id, sync.instance().id(),
                        step == Step.REGISTER ? "registered" : "replaced", expires);
                active(sync, null);
            }
            case CHECK -> {
                sync.registered(sync.webhookId(), expires(body, sync.expiresAt()), sync.registeredAs());
                if ("disabled".equalsIgnoreCase(body.path("status").asText())) {
                    LOG.info("Egnyte disabled the webhook of instance {}; enabling it again", sync.instance().id());
                    sync.next(Step.ENABLE);
                } else {
                    active(sync, sync.state() == PushState.ACTIVE ? sync.reason() : null);
                }
            }
            case ENABLE -> active(sync, "Egnyte had disabled the webhook (after failed pushes); enabled again at "
                    + Instant.now());
            case DELETE -> {
                LOG.info("Egnyte webhook {} of instance {} deleted", sync.webhookId(), sync.instance().id());
                sync.unregistered();
                sync.end(PushState.OFF, sync.offReason(), null);
            }
        }
    }

    /** Active: looked at again at the next status check, or in time to renew it, whichever comes first. */
    private void active(PushSync sync, String reason) {
        Instant check = Instant.now().plus(timings.checkEvery());
        if (sync.expiresAt() != null) {
            Instant renew = sync.expiresAt().minus(timings.renewBefore());
            Instant soonest = Instant.now().plus(timings.retryAfter());
            if (renew.isBefore(check)) {
                check = renew.isBefore(soonest) ? soonest : renew;
            }
        }
        sync.end(PushState.ACTIVE, reason, check);
    }

    private static Instant expires(JsonNode body, Instant otherwise) {
        JsonNode expires = body.get("expires");
        return expires != null && expires.canConvertToLong() ? Instant.ofEpochSecond(expires.asLong()) : otherwise;
    }

    /** Egnyte's "no": not an admin or scope missing (403), too many webhooks (409), a registration it rejects (400). */
    private static boolean refusal(EgnyteAnswer answer) {
        return (answer.status() == 403 && answer.header(EgnyteResponses.MASHERY_ERROR_HEADER) == null)
                || answer.status() == 409 || answer.status() == 400;
    }

    private static String hint(EgnyteAnswer answer) {
        return switch (answer.status()) {
            case 403 -> " (only an Egnyte domain administrator can register webhooks, and the grant needs the scope "
                    + "Egnyte.webhooks: re-authorize with vendorType=webhooks)";
            case 409 -> " (Egnyte's limit of webhooks for this client and domain is reached)";
            default -> "";
        };
    }

    /** Egnyte's own words from its JSON error (no secret is ever in them), short. */
    private String egnyteMessage(EgnyteAnswer answer) {
        String body = answer.body();
        String message = body;
        try {
            JsonNode json = mapper.readTree(body);
            if (json != null && json.hasNonNull("errorMessage")) {
                message = json.get("errorMessage").asText();
            } else if (json != null && json.hasNonNull("message")) {
                message = json.get("message").asText();
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // not JSON: its first words
        }
        message = message == null || message.isBlank() ? "(no message)" : message.strip();
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }

    /** Egnyte's Retry-After when it gave a longer one, else the backoff of the registration's failures. */
    private Instant retryAt(PushSync sync, EgnyteAnswer answer) {
        Duration backoff = backoff(sync);
        Duration wait = EgnyteResponses.retryAfter(answer.headers(), backoff);
        return Instant.now().plus(wait.compareTo(backoff) > 0 ? wait : backoff);
    }

    /**
     * {@code bridge.push.retry-seconds}, doubled for each failed upkeep in a row, at most {@code bridge.push.check-seconds}:
     * an Egnyte that keeps failing costs a few calls an hour, not one a minute against the token's daily budget.
     */
    private Duration backoff(PushSync sync) {
        int failures = Math.min(20, sync.registration() == null ? 0 : sync.registration().failures());
        Duration wait = timings.retryAfter().multipliedBy(1L << failures);
        return wait.compareTo(timings.checkEvery()) > 0 ? timings.checkEvery() : wait;
    }

    /** A call that failed for a passing reason: the state stands, and the upkeep is tried again later. */
    private static void failed(PushSync sync, String why, Instant retryAt) {
        LOG.warn("Upkeep of the Egnyte webhook of instance {} failed, tried again at {}: {}", sync.instance().id(),
                retryAt, why);
        sync.failed();
        PushState state = sync.state() == PushState.OFF ? PushState.PENDING : sync.state();
        sync.end(state, why, retryAt);
    }

    /** Route step {@code upkeep-failed}: the call itself failed (timeout, connection refused). */
    public void failedCall(@ExchangeProperty(PushSync.PROPERTY) PushSync sync,
                           @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception error) {
        if (sync == null || sync.instance() == null) {
            return;
        }
        failed(sync, "the call to Egnyte failed: " + (error == null ? "unknown error" : error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage())), Instant.now().plus(backoff(sync)));
    }

    /** Route step {@code store-upkeep}: stores how the upkeep ended (nothing for an instance being deleted). */
    public void settle(@ExchangeProperty(PushSync.PROPERTY) PushSync sync) {
        if (sync == null || sync.registration() == null || sync.deleting()) {
            return;
        }
        long id = sync.registration().instanceId();
        if (sync.step() != null) {
            // the calls ran out with one still wanted: look again soon
            sync.end(sync.state(), sync.reason(), Instant.now().plus(timings.retryAfter()));
        }
        if (sync.forget() && sync.webhookId() == null) {
            registrations.remove(id);
            return;
        }
        registrations.settle(id, sync.readAt(), sync.state(), sync.reason(), sync.webhookId(), sync.expiresAt(),
                sync.registeredAs(), sync.nextCheckAt(), sync.hasFailed() ? sync.registration().failures() + 1 : 0);
    }
}
