package dev.egnytebridge.instance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.security.SecretCipher;
import dev.egnytebridge.security.Tokens;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

import static dev.egnytebridge.store.SqlTimes.instant;
import static dev.egnytebridge.store.SqlTimes.timestamp;

/** Element instances in the database, with their secrets encrypted at rest. */
public class InstanceStore {

    /** SQL condition on element_instance: the bridge should be polling the instance ({@link Instance#pollable()}). */
    public static final String POLLABLE = "events_enabled = TRUE AND valid = TRUE AND disabled = FALSE AND poller_disabled = FALSE";
    private static final String COLUMNS = "id, owner_user, name, element_key, subdomain, configuration, secrets, tags, "
            + "events_enabled, valid, disabled, created_date, updated_date, poller_disabled, consecutive_failures, "
            + "last_poll_at, last_poll_status, last_poll_error, paused_until, paused_reason";

    private final JdbcTemplate jdbc;
    private final SecretCipher cipher;
    private final ObjectMapper mapper;
    private final RowMapper<Instance> rowMapper = this::map;

    public InstanceStore(JdbcTemplate jdbc, SecretCipher cipher, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.mapper = mapper;
    }

    /** Stores a new instance and returns it with its id. */
    public Instance insert(String owner, String name, String elementKey, String subdomain, ObjectNode configuration,
                           InstanceSecrets secrets, List<String> tags, boolean eventsEnabled, String tokenHash) {
        Timestamp now = Timestamp.from(Instant.now());
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            var ps = con.prepareStatement("INSERT INTO element_instance (owner_user, name, element_key, token_hash, subdomain, "
                    + "configuration, secrets, tags, events_enabled, valid, disabled, created_date, updated_date) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE, FALSE, ?, ?)", new String[] {"id"});
            ps.setString(1, owner);
            ps.setString(2, name);
            ps.setString(3, elementKey);
            ps.setString(4, tokenHash);
            ps.setString(5, subdomain);
            ps.setString(6, json(configuration));
            ps.setString(7, encrypt(secrets));
            ps.setString(8, json(tags));
            ps.setBoolean(9, eventsEnabled);
            ps.setTimestamp(10, now);
            ps.setTimestamp(11, now);
            return ps;
        }, keys);
        return find(keys.getKey().longValue()).orElseThrow();
    }

    public Optional<Instance> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM element_instance WHERE id = ?", rowMapper, id).stream().findFirst();
    }

    /** The instance if it exists and belongs to {@code owner}: another user's instance is as good as absent. */
    public Optional<Instance> findOwned(long id, String owner) {
        return jdbc.query("SELECT " + COLUMNS + " FROM element_instance WHERE id = ? AND owner_user = ?", rowMapper, id, owner)
                .stream().findFirst();
    }

    public List<Instance> findByOwner(String owner) {
        return jdbc.query("SELECT " + COLUMNS + " FROM element_instance WHERE owner_user = ? ORDER BY id", rowMapper, owner);
    }

    public Optional<Instance> findByTokenHash(String tokenHash) {
        return jdbc.query("SELECT " + COLUMNS + " FROM element_instance WHERE token_hash = ?", rowMapper, tokenHash)
                .stream().findFirst();
    }

    /** The instance an Element token was issued for, when it belongs to {@code owner} (the Element authentication). */
    public Optional<Instance> findOwnedByToken(String token, String owner) {
        return findByTokenHash(Tokens.sha256Hex(token)).filter(found -> found.owner().equals(owner));
    }

    /** Whether the instance is still stored: a running poll of a deleted instance stops at its next Egnyte call. */
    public boolean exists(long id) {
        return !jdbc.queryForList("SELECT id FROM element_instance WHERE id = ?", Long.class, id).isEmpty();
    }

    /**
     * Locks the instance's row until the caller's transaction ends; false when it no longer exists. A DELETE of it
     * then waits for that transaction, and its cascade removes what the transaction stored: without the lock, H2 lets
     * a row that references the instance be inserted while a concurrent DELETE cascades, and the row outlives it.
     */
    public boolean lock(long id) {
        return !jdbc.queryForList("SELECT id FROM element_instance WHERE id = ? FOR UPDATE", Long.class, id).isEmpty();
    }

    /** Every instance whose events are on and whose poller may run. */
    public List<Instance> findPollable() {
        return jdbc.query("SELECT " + COLUMNS + " FROM element_instance WHERE " + POLLABLE + " ORDER BY id", rowMapper);
    }

    /** Instances whose poller was disabled after too many consecutive failures. */
    public List<Instance> findPollingDisabled(String owner) {
        return jdbc.query("SELECT " + COLUMNS + " FROM element_instance WHERE owner_user = ? AND poller_disabled = TRUE "
                + "ORDER BY id", rowMapper, owner);
    }

    /**
     * Every owner's instances whose events are on but which are not polling well: poller disabled, token rejected,
     * or the last polls failed (for the health check).
     */
    public List<Instance> findWithPollerProblems() {
        return jdbc.query("SELECT " + COLUMNS + " FROM element_instance WHERE events_enabled = TRUE AND disabled = FALSE "
                + "AND (poller_disabled = TRUE OR valid = FALSE OR consecutive_failures > 0) ORDER BY id", rowMapper);
    }

    /** Writes what a user may change: name, subdomain, configuration, secrets, tags and the flags. */
    public void update(Instance instance) {
        jdbc.update("UPDATE element_instance SET name = ?, subdomain = ?, configuration = ?, secrets = ?, tags = ?, events_enabled = ?, "
                        + "valid = ?, disabled = ?, poller_disabled = ?, consecutive_failures = ?, paused_until = ?, "
                        + "paused_reason = ?, updated_date = ? WHERE id = ?",
                instance.name(), instance.subdomain(), json(instance.configuration()), encrypt(instance.secrets()), json(instance.tags()),
                instance.eventsEnabled(), instance.valid(), instance.disabled(), instance.pollerState().pollerDisabled(),
                instance.pollerState().consecutiveFailures(), timestamp(instance.pollerState().pausedUntil()),
                instance.pollerState().pausedReason(), Timestamp.from(Instant.now()), instance.id());
    }

    /** Where each polled resource of an instance stands: its event cursor, or the end of its last date window (ISO). */
    public Map<String, String> positions(long id) {
        Map<String, String> positions = new TreeMap<>();
        jdbc.query("SELECT resource, cursor_value, window_end FROM poll_cursor WHERE instance_id = ?", rs -> {
            Timestamp windowEnd = rs.getTimestamp("window_end");
            String cursor = rs.getString("cursor_value");
            positions.put(rs.getString("resource"), cursor != null ? cursor
                    : windowEnd == null ? null : windowEnd.toInstant().truncatedTo(ChronoUnit.MILLIS).toString());
        }, id);
        return positions;
    }

    public boolean delete(long id) {
        return jdbc.update("DELETE FROM element_instance WHERE id = ?", id) > 0;
    }

    /**
     * {@code PUT}/{@code DELETE /instances/{id}/enabled}: the instance's {@code disabled} flag, nothing else of it.
     * Enabling also gives a poller disabled after repeated failures another chance, as a PATCH does.
     */
    public void setDisabled(long id, boolean disabled) {
        Timestamp now = Timestamp.from(Instant.now());
        if (disabled) {
            jdbc.update("UPDATE element_instance SET disabled = TRUE, updated_date = ? WHERE id = ?", now, id);
        } else {
            jdbc.update("UPDATE element_instance SET disabled = FALSE, poller_disabled = FALSE, consecutive_failures = 0, "
                    + "updated_date = ? WHERE id = ?", now, id);
        }
    }

    // --- poller state, written by the poller

    public void recordPollSuccess(long id, Instant at) {
        jdbc.update("UPDATE element_instance SET last_poll_at = ?, last_poll_status = 'OK', last_poll_error = NULL, "
                + "consecutive_failures = 0 WHERE id = ?", Timestamp.from(at), id);
    }

    /** Counts one more failed poll and returns how many failed in a row. */
    public int recordPollFailure(long id, Instant at, String error) {
        jdbc.update("UPDATE element_instance SET last_poll_at = ?, last_poll_status = 'FAILED', last_poll_error = ?, "
                + "consecutive_failures = consecutive_failures + 1 WHERE id = ?", Timestamp.from(at), truncate(error, 2000), id);
        Integer failures = jdbc.queryForObject("SELECT consecutive_failures FROM element_instance WHERE id = ?", Integer.class, id);
        return failures == null ? 0 : failures;
    }

    public void disablePoller(long id) {
        jdbc.update("UPDATE element_instance SET poller_disabled = TRUE WHERE id = ?", id);
    }

    /** The provider refused the token (revoked, password changed): the instance needs a new authorization code. */
    public void markInvalid(long id, String reason) {
        jdbc.update("UPDATE element_instance SET valid = FALSE, last_poll_status = 'INVALID', last_poll_error = ? WHERE id = ?",
                truncate(reason, 2000), id);
    }

    public void pause(long id, Instant until, String reason) {
        jdbc.update("UPDATE element_instance SET paused_until = ?, paused_reason = ? WHERE id = ?",
                Timestamp.from(until), truncate(reason, 400), id);
    }

    private Instance map(ResultSet rs, int row) throws SQLException {
        try {
            ObjectNode configuration = (ObjectNode) mapper.readTree(rs.getString("configuration"));
            List<String> tags = mapper.readValue(rs.getString("tags"), new TypeReference<List<String>>() { });
            InstanceSecrets secrets = mapper.readValue(cipher.decrypt(rs.getString("secrets")), InstanceSecrets.class);
            PollerState state = new PollerState(rs.getBoolean("poller_disabled"), rs.getInt("consecutive_failures"),
                    instant(rs.getTimestamp("last_poll_at")), rs.getString("last_poll_status"), rs.getString("last_poll_error"),
                    instant(rs.getTimestamp("paused_until")), rs.getString("paused_reason"));
            return new Instance(rs.getLong("id"), rs.getString("owner_user"), rs.getString("name"), rs.getString("element_key"),
                    rs.getString("subdomain"), configuration, secrets, List.copyOf(tags), rs.getBoolean("events_enabled"),
                    rs.getBoolean("valid"), rs.getBoolean("disabled"), instant(rs.getTimestamp("created_date")),
                    instant(rs.getTimestamp("updated_date")), state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored instance " + rs.getLong("id") + " is unreadable", e);
        }
    }

    private String encrypt(InstanceSecrets secrets) {
        return cipher.encrypt(json(secrets));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }



    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
