package dev.egnytebridge.push;

import java.time.Instant;

import dev.egnytebridge.instance.Instance;

/**
 * The upkeep of one instance's webhook registration while routes sync-push-registration and unregister-egnyte-push
 * run it (exchange property {@value #PROPERTY}, set by their first step): the registration as stored, the step it is
 * at (each step is one call to Egnyte's webhooks API), and how it ends.
 */
public final class PushSync {

    public static final String PROPERTY = "pushSync";
    /** No upkeep makes more calls than this (a renewal that finds the registration gone, then registers it again). */
    static final int MAX_CALLS = 4;

    /** One call to Egnyte's webhooks API. */
    enum Step {
        /** POST /pubapi/v1/webhooks. */
        REGISTER,
        /** PUT /pubapi/v1/webhooks/{id}: new filters, or a renewal before it expires. */
        REPLACE,
        /** GET /pubapi/v1/webhooks/{id}/details: still there, still enabled? */
        CHECK,
        /** POST /pubapi/v1/webhooks/{id}/status {"status": "enabled"}: Egnyte had disabled it. */
        ENABLE,
        /** DELETE /pubapi/v1/webhooks/{id}. */
        DELETE
    }

    private final Instance instance;
    private final PushRegistration registration;
    private final Instant readAt = Instant.now();
    /** What the registration should be (url, eventType, path) as JSON; null when none is wanted. */
    private final String wanted;
    /** The instance is being deleted: its registration goes, and nothing is stored afterwards. */
    private final boolean deleting;
    /** Why no registration is wanted now (the state OFF shows it), or null when one is. */
    private final String offReason;
    private Step step;
    private int calls;

    // how it ends
    private PushState state;
    private String reason;
    private String webhookId;
    private Instant expiresAt;
    private String registered;
    private Instant nextCheckAt;
    private boolean forget;
    private boolean failed;

    PushSync(Instance instance, PushRegistration registration, String wanted, boolean deleting, String offReason) {
        this.instance = instance;
        this.offReason = offReason;
        this.registration = registration;
        this.wanted = wanted;
        this.deleting = deleting;
        if (registration != null) {
            state = registration.state();
            reason = registration.reason();
            webhookId = registration.webhookId();
            expiresAt = registration.expiresAt();
            registered = registration.registered();
        }
    }

    /** True while a call to Egnyte is to be made (the route's loop condition). */
    public boolean pending() {
        return step != null && calls < MAX_CALLS;
    }

    /** The instance the upkeep is for (the deletion flow gives it back as its body); null when it no longer exists. */
    public Instance instance() {
        return instance;
    }

    PushRegistration registration() {
        return registration;
    }

    Instant readAt() {
        return readAt;
    }

    String wanted() {
        return wanted;
    }

    String offReason() {
        return offReason;
    }

    boolean deleting() {
        return deleting;
    }

    Step step() {
        return step;
    }

    void next(Step next) {
        step = next;
    }

    void called() {
        calls++;
    }

    /** The upkeep ends: no more calls. */
    void end(PushState endState, String endReason, Instant checkAgainAt) {
        step = null;
        state = endState;
        reason = endReason;
        nextCheckAt = checkAgainAt;
    }

    void registered(String id, Instant expires, String what) {
        webhookId = id;
        expiresAt = expires;
        registered = what;
    }

    void unregistered() {
        webhookId = null;
        expiresAt = null;
        registered = null;
    }

    /** A call failed for a passing reason: the next try waits longer. */
    void failed() {
        failed = true;
    }

    boolean hasFailed() {
        return failed;
    }

    /** The row goes too, once the registration is gone (the instance left webhooks mode). */
    void forgetRow() {
        forget = true;
    }

    boolean forget() {
        return forget;
    }

    PushState state() {
        return state;
    }

    String reason() {
        return reason;
    }

    String webhookId() {
        return webhookId;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    String registeredAs() {
        return registered;
    }

    Instant nextCheckAt() {
        return nextCheckAt;
    }

    @Override
    public String toString() {
        return "PushSync[instance=" + (registration == null ? null : registration.instanceId()) + ", step=" + step + "]";
    }
}
