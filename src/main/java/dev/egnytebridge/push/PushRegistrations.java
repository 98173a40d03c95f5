package dev.egnytebridge.push;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.egnytebridge.cluster.ClusterNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.security.SecretCipher;
import dev.egnytebridge.security.Tokens;
import dev.egnytebridge.wake.WakeableScheduler;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.egnytebridge.store.SqlTimes.instant;
import static dev.egnytebridge.store.SqlTimes.timestamp;

/**
 * The webhook registrations the bridge keeps (table egnyte_push), one per instance in {@code webhooks} mode, and the
 * schedule of their upkeep: a row whose {@code next_check_at} has come is looked after by route
 * maintain-push-registrations, leased to one node at a time so no two nodes register the same instance.
 */
public class PushRegistrations {

    /** Random bytes of a hook key and of an auth header value: 256 bits each. */
    static final int KEY_BYTES = 32;
    private static final Logger LOG = LoggerFactory.getLogger(PushRegistrations.class);
    private static final String COLUMNS = "instance_id, hook_key, state, reason, webhook_id, expires_at, registered, "
            + "last_push_at, failures";

    private final JdbcTemplate jdbc;
    private final SecretCipher cipher;
    private final ClusterNode node;
    private final Duration lease;
    /** Runs maintain-push-registrations; null when nothing runs it (a test driving the upkeep itself). */
    private final WakeableScheduler wakeup;

    public PushRegistrations(JdbcTemplate jdbc, SecretCipher cipher, ClusterNode node, Duration lease,
                             WakeableScheduler wakeup) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.node = node;
        this.lease = lease;
        this.wakeup = wakeup;
    }

    /**
     * Route steps {@code keep-push-registration-in-step} (create, PATCH, PUT, enable, disable): an instance in
     * webhooks mode gets its row (new keys) and is looked after at once: registered, updated to new filters, or its
     * registration deleted when its events were turned off. A row of an instance that left webhooks mode is looked
     * after once more, to delete its registration at Egnyte.
     */
    public void refresh(@Body Instance instance) {
        boolean webhooks = instance.polling().webhooks();
        if (webhooks && find(instance.id()).isEmpty()) {
            insert(instance.id());
        }
        lookAfterNow(instance.id());
    }

    /** Route step {@code retry-push-registration}: the user asks for another try at once (after a refusal, say). */
    public void retry(long instanceId) {
        lookAfterNow(instanceId);
    }

    /** The instance's registration is due for its upkeep now; the upkeep is woken when it has one. */
    private void lookAfterNow(long instanceId) {
        Timestamp now = now();
        if (jdbc.update("UPDATE egnyte_push SET next_check_at = ?, updated_at = ? WHERE instance_id = ?",
                now, now, instanceId) > 0 && wakeup != null) {
            wakeup.wake();
        }
    }

    private void insert(long instanceId) {
        String authValue = Tokens.random(KEY_BYTES);
        try {
            jdbc.update("INSERT INTO egnyte_push (instance_id, hook_key, auth_hash, auth_value, state, updated_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?)", instanceId, Tokens.random(KEY_BYTES), Tokens.sha256Hex(authValue),
                    cipher.encrypt(authValue), PushState.PENDING.name(), now());
        } catch (DuplicateKeyException raced) {
            LOG.debug("Push registration of instance {} was created by a concurrent change", instanceId);
        }
    }

    public Optional<PushRegistration> find(long instanceId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM egnyte_push WHERE instance_id = ?", PushRegistrations::map,
                instanceId).stream().findFirst();
    }

    /** The auth header value registered with Egnyte for this instance (decrypted), sent again on each renewal. */
    String authValue(long instanceId) {
        return cipher.decrypt(jdbc.queryForObject("SELECT auth_value FROM egnyte_push WHERE instance_id = ?",
                String.class, instanceId));
    }

    /** The receiver's one lookup: the instance and auth hash of a hook key, by its unique index. */
    Optional<HookKey> hookKey(String hookKey) {
        return jdbc.query("SELECT instance_id, auth_hash FROM egnyte_push WHERE hook_key = ?",
                (rs, row) -> new HookKey(rs.getLong(1), HexFormat.of().parseHex(rs.getString(2))), hookKey)
                .stream().findFirst();
    }

    /** What a push to a hook key must prove: the SHA-256 of the auth header value. */
    record HookKey(long instanceId, byte[] authHash) {
    }

    /** The earliest push no poll has answered yet: kept until a poll takes it. */
    void markPending(long instanceId, Instant at) {
        jdbc.update("UPDATE egnyte_push SET pending_push_at = ? WHERE instance_id = ? AND pending_push_at IS NULL",
                Timestamp.from(at), instanceId);
    }

    /** A poll that started at {@code startedAt} answers the pending push that came before it: taken, or null. */
    Instant takePending(long instanceId, Instant startedAt) {
        List<Timestamp> rows = jdbc.query("SELECT pending_push_at FROM egnyte_push WHERE instance_id = ?",
                (rs, row) -> rs.getTimestamp(1), instanceId);
        Timestamp pending = rows.isEmpty() ? null : rows.get(0); // a list: the one value may be null
        if (pending == null || pending.toInstant().isAfter(startedAt)) {
            return null; // none, or it came after this poll started reading: the next poll answers it
        }
        // only the poll that clears it takes it (two polls of one instance never overlap, but a push may land between)
        return jdbc.update("UPDATE egnyte_push SET pending_push_at = NULL WHERE instance_id = ? AND pending_push_at = ?",
                instanceId, pending) == 1 ? pending.toInstant() : null;
    }

    void markPushed(long instanceId, Instant at) {
        jdbc.update("UPDATE egnyte_push SET last_push_at = ? WHERE instance_id = ?", Timestamp.from(at), instanceId);
    }

    /**
     * Route step {@code claim-due-registrations}: leases the rows whose upkeep is due to this node, a few at a time
     * (each is a call or two to Egnyte), and answers their instance ids.
     */
    public List<Long> claimDue() {
        Timestamp now = now();
        List<Long> due = jdbc.queryForList("SELECT instance_id FROM egnyte_push WHERE next_check_at <= ? "
                + "AND (sync_until IS NULL OR sync_until < ?) ORDER BY next_check_at FETCH FIRST 20 ROWS ONLY",
                Long.class, now, now);
        Timestamp until = Timestamp.from(now.toInstant().plus(lease));
        return due.stream().filter(id -> jdbc.update("UPDATE egnyte_push SET sync_owner = ?, sync_until = ? "
                + "WHERE instance_id = ? AND next_check_at <= ? AND (sync_until IS NULL OR sync_until < ?)",
                node.id(), until, id, now, now) == 1).toList();
    }

    /**
     * Stores how the upkeep of a registration ended and when it is next due, and gives up the lease. A change made
     * after the upkeep read the instance ({@code readAt}: a PATCH asking for an upkeep at once) is kept: the next
     * check is then at once.
     */
    void settle(long instanceId, Instant readAt, PushState state, String reason, String webhookId, Instant expiresAt,
                String registered, Instant nextCheckAt, int failures) {
        Timestamp now = now();
        jdbc.update("UPDATE egnyte_push SET state = ?, reason = ?, webhook_id = ?, expires_at = ?, registered = ?, "
                        // typed: PostgreSQL reads an untyped NULL parameter in a CASE as text
                        + "failures = ?, next_check_at = CASE WHEN updated_at > ? THEN CAST(? AS TIMESTAMP) "
                        + "ELSE CAST(? AS TIMESTAMP) END, "
                        + "sync_owner = NULL, sync_until = NULL, updated_at = ? WHERE instance_id = ? AND sync_owner = ?",
                state.name(), truncate(reason, 1000), webhookId, timestamp(expiresAt), registered, failures,
                Timestamp.from(readAt), now, timestamp(nextCheckAt), now, instanceId, node.id());
    }

    /** Forgets the row of an instance that left webhooks mode, once its registration is gone. */
    void remove(long instanceId) {
        jdbc.update("DELETE FROM egnyte_push WHERE instance_id = ? AND sync_owner = ?", instanceId, node.id());
    }

    /** When the next upkeep is due (the route sleeps until then), or null when none is planned. */
    public void planNextLook() {
        if (wakeup == null) {
            return;
        }
        // rows another node is looking after are left out (else a due one would wake this node again and again until
        // that node is done); the fallback look finds them, and the leases of a dead node that ran out
        List<Timestamp> next = jdbc.queryForList("SELECT next_check_at FROM egnyte_push WHERE next_check_at IS NOT NULL "
                + "AND (sync_until IS NULL OR sync_until < ?) ORDER BY next_check_at FETCH FIRST 1 ROWS ONLY",
                Timestamp.class, now());
        if (!next.isEmpty()) {
            wakeup.wakeAt(next.get(0).toInstant());
        }
    }

    private static PushRegistration map(ResultSet rs, int row) throws SQLException {
        return new PushRegistration(rs.getLong(1), rs.getString(2), PushState.valueOf(rs.getString(3)), rs.getString(4),
                rs.getString(5), instant(rs.getTimestamp(6)), rs.getString(7), instant(rs.getTimestamp(8)), rs.getInt(9));
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }



    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
