package dev.egnytebridge.egnyte;

import java.time.Duration;

/**
 * A failed call to Egnyte, classified so the poller can decide what to do: wait and retry, restart from the oldest
 * cursor, or mark the instance invalid. Messages carry the HTTP status and a short, secret-free excerpt of the body.
 */
public class EgnyteFault extends RuntimeException {

    public enum Kind {
        /** 401: the access token was revoked or the user's password changed; polling cannot continue. */
        TOKEN_REJECTED(false),
        /** 400 invalid_grant from the token endpoint: the authorization code is wrong, used or expired. */
        GRANT_REJECTED(false),
        /** 403 ERR_403_DEVELOPER_OVER_QPS: too many calls this second; retry after {@link #retryAfter()}. */
        OVER_QPS(true),
        /** 403 ERR_403_DEVELOPER_OVER_RATE: the daily quota is spent; retry after {@link #retryAfter()}. */
        OVER_DAILY_QUOTA(true),
        /** 409 from the token endpoint: too many token requests this hour; retry after {@link #retryAfter()}. */
        TOKEN_RATE_LIMITED(true),
        /** 404: for the events endpoint, the cursor aged out; restart from the oldest retained event. */
        NOT_FOUND(false),
        /** 5xx, unexpected statuses and malformed responses. */
        PROVIDER_ERROR(true);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether the same call may succeed later without anyone changing anything. */
        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;

    public EgnyteFault(Kind kind, int status, Duration retryAfter, String message) {
        super(message);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public EgnyteFault(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = null;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status Egnyte answered, or 0 when the fault is not about a status (malformed body). */
    public int status() {
        return status;
    }

    /** How long to wait before calling again, or null when Egnyte did not say and waiting is not the remedy. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean retryable() {
        return kind.retryable();
    }
}
