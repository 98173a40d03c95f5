package dev.egnytebridge.budget;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.egnytebridge.egnyte.EgnyteCall;
import dev.egnytebridge.egnyte.EgnyteRateLimiter;
import dev.egnytebridge.egnyte.EgnyteRequest;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Counts each access token's calls to Egnyte over a rolling 24 hours (table egnyte_call_count, in 10-minute buckets)
 * and plans the polls of its instances so that the token's budget lasts the day: each of the token's instances polls at
 * most once every {@code 24 h x instances x calls per poll / budget} (a poll makes one call per resource when there is
 * no backlog), and when the token has spent its whole budget within the last
 * 24 hours, no poll starts until enough of those calls have left the window. Pages of a backlog are read within one
 * poll without waiting for the budget; the polls after it wait for the window instead.
 */
public class CallBudget {

    static final Duration WINDOW = Duration.ofHours(24);
    static final Duration BUCKET = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(CallBudget.class);

    private final JdbcTemplate jdbc;
    private final int callsPerDay;
    private final Clock clock;
    private volatile Instant purgedBefore = Instant.EPOCH;

    /** @param callsPerDay calls a day per token; 0 for no budget (nothing is counted or planned) */
    public CallBudget(JdbcTemplate jdbc, int callsPerDay, Clock clock) {
        this.jdbc = jdbc;
        this.callsPerDay = callsPerDay;
        this.clock = clock;
    }

    /** Calls a day per token; 0 when there is no budget. */
    public int callsPerDay() {
        return callsPerDay;
    }

    /**
     * Step {@code count-against-daily-budget} of route call-egnyte, right before the request goes: one more call with
     * its token. The code exchange has no token yet and is not a token's call.
     */
    public void count(@ExchangeProperty(EgnyteCall.PROPERTY) EgnyteCall call) {
        EgnyteRequest request = call.request();
        if (callsPerDay > 0 && request.accessToken() != null && request.instanceId() != null) {
            record(EgnyteRateLimiter.tokenKey(request.accessToken()), request.instanceId());
        }
    }

    /** One call of {@code instanceId} with the token known by {@code tokenKey}, now. */
    void record(String tokenKey, long instanceId) {
        Instant now = clock.instant();
        Timestamp bucket = Timestamp.from(bucketOf(now));
        // no transaction here (a call to Egnyte is never made inside one), so a lost insert race is simply retried
        if (increment(tokenKey, instanceId, bucket) == 0) {
            try {
                jdbc.update("INSERT INTO egnyte_call_count (token_key, instance_id, bucket_start, calls) VALUES (?, ?, ?, 1)",
                        tokenKey, instanceId, bucket);
            } catch (DuplicateKeyException raced) {
                increment(tokenKey, instanceId, bucket);
            }
        }
        purgeOldBuckets(now);
    }

    private int increment(String tokenKey, long instanceId, Timestamp bucket) {
        return jdbc.update("UPDATE egnyte_call_count SET calls = calls + 1 "
                + "WHERE token_key = ? AND instance_id = ? AND bucket_start = ?", tokenKey, instanceId, bucket);
    }

    /** Once a bucket: buckets that have left the window are deleted (by whichever node starts the bucket first). */
    private void purgeOldBuckets(Instant now) {
        Instant cutoff = bucketOf(now.minus(WINDOW)).minus(BUCKET);
        if (cutoff.isAfter(purgedBefore)) {
            purgedBefore = cutoff;
            try {
                jdbc.update("DELETE FROM egnyte_call_count WHERE bucket_start < ?", Timestamp.from(cutoff));
            } catch (RuntimeException e) {
                LOG.warn("Could not delete old Egnyte call counts; they are ignored and deleted later: {}", e.toString());
            }
        }
    }

    /**
     * Where the token of an instance stands: its calls in the last 24 hours, how many instances share it, the interval
     * that keeps the budget, and until when no poll may start because the budget is spent.
     *
     * @param accessToken the instance's current token (null: not authorized, nothing to plan)
     * @param configured   the interval the instance asks for
     * @param callsPerPoll the calls an idle poll of the instance makes (one per resource)
     */
    public Plan plan(String accessToken, long instanceId, Duration configured, int callsPerPoll) {
        if (callsPerDay == 0 || accessToken == null) {
            return new Plan(configured, configured, 0, callsPerDay, 1, null);
        }
        Instant now = clock.instant();
        String tokenKey = EgnyteRateLimiter.tokenKey(accessToken);
        // a bucket counts until 24 hours after its end: never a call counted out before its 24 hours are over
        Timestamp windowStart = Timestamp.from(now.minus(WINDOW).minus(BUCKET));
        Long calls = jdbc.queryForObject("SELECT COALESCE(SUM(calls), 0) FROM egnyte_call_count "
                + "WHERE token_key = ? AND bucket_start > ?", Long.class, tokenKey, windowStart);
        List<Long> instances = jdbc.queryForList("SELECT DISTINCT instance_id FROM egnyte_call_count "
                + "WHERE token_key = ? AND bucket_start > ?", Long.class, tokenKey, windowStart);
        int sharing = instances.size() + (instances.contains(instanceId) ? 0 : 1);
        long share = WINDOW.toMillis() * sharing * Math.max(1, callsPerPoll);
        Duration even = Duration.ofMillis(Math.floorDiv(share + callsPerDay - 1, callsPerDay));
        Duration effective = even.compareTo(configured) > 0 ? even : configured;
        // the other instances of the token may each poll once before this one's next poll, planned now: keep a call
        // for each of them, or together they could go one call a poll over the budget
        long usable = Math.max(1, callsPerDay - (sharing - 1));
        Instant spentUntil = calls >= usable ? windowFrees(tokenKey, windowStart, calls, usable) : null;
        return new Plan(configured, effective, calls, callsPerDay, sharing, spentUntil);
    }

    /** When enough of the window's calls have left it for the token to be under {@code usable} calls again. */
    private Instant windowFrees(String tokenKey, Timestamp windowStart, long calls, long usable) {
        List<BucketCalls> buckets = jdbc.query("SELECT bucket_start, SUM(calls) FROM egnyte_call_count "
                        + "WHERE token_key = ? AND bucket_start > ? GROUP BY bucket_start ORDER BY bucket_start",
                (rs, row) -> new BucketCalls(rs.getTimestamp(1).toInstant(), rs.getLong(2)), tokenKey, windowStart);
        long left = calls;
        for (BucketCalls bucket : buckets) {
            left -= bucket.calls();
            if (left < usable) {
                return bucket.start().plus(WINDOW).plus(BUCKET);
            }
        }
        return clock.instant();
    }

    private record BucketCalls(Instant start, long calls) {
    }

    /**
     * When an instance that polled at {@code startedAt} may poll next: its own beat, but no sooner than the budget's
     * even spacing allows, nor while its token's budget is spent.
     */
    public Instant nextPoll(String accessToken, long instanceId, Duration configured, int callsPerPoll,
                            Instant startedAt, Instant beat) {
        Plan plan = plan(accessToken, instanceId, configured, callsPerPoll);
        Instant next = beat;
        Instant spaced = startedAt.plus(plan.effectiveInterval());
        if (spaced.isAfter(next)) {
            next = spaced;
        }
        if (plan.spentUntil() != null && plan.spentUntil().isAfter(next)) {
            next = plan.spentUntil();
        }
        return next;
    }

    static Instant bucketOf(Instant at) {
        long ms = at.toEpochMilli();
        return Instant.ofEpochMilli(ms - Math.floorMod(ms, BUCKET.toMillis()));
    }

    /**
     * Where an instance's token stands.
     *
     * @param spentUntil when the token is back under its budget; null when it is under it now
     */
    public record Plan(Duration configuredInterval, Duration effectiveInterval, long callsLast24h, int callsPerDay,
                       int instancesOnToken, Instant spentUntil) {

        /** Why the effective interval differs from the configured one; null when it does not. */
        public String reason() {
            if (spentUntil != null) {
                return "this Egnyte token made its " + callsPerDay + " calls of the last 24 hours (egnyte.rate-limit"
                        + ".calls-per-day): no poll starts before " + spentUntil;
            }
            if (effectiveInterval.compareTo(configuredInterval) > 0) {
                return (instancesOnToken == 1 ? "this instance polls" : instancesOnToken + " instances poll")
                        + " with one Egnyte token and its budget of " + callsPerDay + " calls a day "
                        + "(egnyte.rate-limit.calls-per-day) lasts the day at one poll every "
                        + effectiveInterval.toSeconds() + " s" + (instancesOnToken == 1 ? "" : " for each");
            }
            return null;
        }
    }
}
