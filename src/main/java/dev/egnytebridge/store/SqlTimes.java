package dev.egnytebridge.store;

import java.sql.Timestamp;
import java.time.Instant;

/** Nullable TIMESTAMP columns to and from {@link Instant}: a column left NULL is a null, not an exception. */
public final class SqlTimes {

    private SqlTimes() {
    }

    public static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    public static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
