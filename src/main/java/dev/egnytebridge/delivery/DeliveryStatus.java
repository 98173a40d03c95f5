package dev.egnytebridge.delivery;

import java.util.Set;

/** Where one delivery (one notification to one callback URL) stands. */
public enum DeliveryStatus {
    /** Not attempted yet. */
    PENDING,
    /** Failed at least once; the next attempt is scheduled. */
    RETRYING,
    /** The endpoint answered 2xx. */
    DELIVERED,
    /** The endpoint answered 410 Gone: this notification is not sent to it again. */
    GONE,
    /** Dead letter: every attempt of the retry schedule failed. */
    FAILED;

    public static final Set<DeliveryStatus> FINISHED = Set.of(DELIVERED, GONE, FAILED);

    public boolean finished() {
        return FINISHED.contains(this);
    }
}
