package dev.egnytebridge.push;

import java.util.Locale;

/** Where an instance's Egnyte webhook stands, as {@code push.state} of GET /instances/{id} shows it. */
public enum PushState {
    /** Not registered yet (just configured, or waiting to try again after Egnyte failed). */
    PENDING,
    /** Registered and enabled: Egnyte pushes, and each push makes the instance due for a poll. */
    ACTIVE,
    /** Egnyte refused the registration (not an admin, webhook limit reached, scope missing); the instance polls. */
    REFUSED,
    /** Egnyte no longer knows the registration (it expired) and registering it again failed. */
    EXPIRED,
    /** Egnyte disabled it (after failed pushes) and enabling it again failed. */
    DISABLED,
    /** No registration is wanted (the instance's events are off, or it is disabled or needs re-authorization). */
    OFF;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
