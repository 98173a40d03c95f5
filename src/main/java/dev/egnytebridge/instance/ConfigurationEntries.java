package dev.egnytebridge.instance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.api.ApiAuthenticator;
import dev.egnytebridge.api.ApiException;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * Bean {@code configurationEntries}: an instance's configuration as Cloud Elements lists it, one entry per key,
 * {@code {"id", "key", "propertyKey", "propertyValue"}} ({@code GET /instances/{id}/configuration}), and the entry
 * {@code PATCH /instances/{id}/configuration/{configurationId}} changes. Secrets show as {@value InstanceRequests#MASK}.
 *
 * <p>An entry's id depends only on its key, so it is the same for every instance and across restarts: the keys the
 * bridge knows have the fixed ids of {@link #KNOWN_IDS} (listed even when unset, with {@code propertyValue} null, so a
 * client can set them); any other key has 1000 plus the first 48 bits of the SHA-256 of its name.
 */
public class ConfigurationEntries {

    /** The exchange property the configuration-entry PATCH keeps the entry's key in. */
    public static final String KEY_PROPERTY = "configurationKey";

    /** The fixed id of each configuration key the bridge knows (documented in docs/api.md; never renumber). */
    static final Map<String, Long> KNOWN_IDS = knownIds();

    private static Map<String, Long> knownIds() {
        Map<String, Long> ids = new LinkedHashMap<>();
        ids.put(InstanceRequests.API_KEY, 1L);
        ids.put(InstanceRequests.API_SECRET, 2L);
        ids.put(InstanceRequests.OAUTH_CALLBACK, 3L);
        ids.put(InstanceRequests.SUBDOMAIN, 4L);
        ids.put(PollingConfiguration.ENABLED, 5L);
        ids.put(PollingConfiguration.CALLBACK_URL, 6L);
        ids.put(PollingConfiguration.SIGNATURE_KEY, 7L);
        ids.put(PollingConfiguration.REFRESH_INTERVAL, 8L);
        ids.put(PollingConfiguration.POLLER_CONFIGURATION, 9L);
        ids.put(PollingConfiguration.NOTIFY_GAPS, 10L);
        ids.put(PollingConfiguration.VENDOR_TYPE, 11L);
        return Map.copyOf(ids);
    }

    private final InstanceStore store;
    private final ObjectMapper mapper;

    public ConfigurationEntries(InstanceStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /** {@code GET /instances/{id}/configuration}: the known keys by id, then the instance's other keys by name. */
    public ArrayNode list(@Header("id") String id, @ExchangeProperty(ApiAuthenticator.USER) String user) {
        Instance instance = InstanceApi.owned(store, id, authenticated(user));
        ObjectNode configuration = InstanceJson.maskedConfiguration(instance);
        ArrayNode entries = mapper.createArrayNode();
        KNOWN_IDS.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(known -> entries.add(entry(known.getKey(), configuration.get(known.getKey()))));
        TreeSet<String> others = new TreeSet<>();
        configuration.fieldNames().forEachRemaining(others::add);
        others.removeAll(KNOWN_IDS.keySet());
        others.forEach(key -> entries.add(entry(key, configuration.get(key))));
        return entries;
    }

    /**
     * Route step {@code find-configuration-key}: the key of entry {@code configurationId} of the caller's instance
     * {@code id}; a 404 when the instance has no such entry.
     */
    public String key(@Header("id") String id, @Header("configurationId") String configurationId,
                      @ExchangeProperty(ApiAuthenticator.USER) String user) {
        Instance instance = InstanceApi.owned(store, id, authenticated(user));
        List<String> keys = new ArrayList<>(KNOWN_IDS.keySet());
        instance.configuration().fieldNames().forEachRemaining(keys::add);
        return keys.stream().filter(key -> String.valueOf(idOf(key)).equals(configurationId)).findFirst()
                .orElseThrow(() -> ApiException.notFound("No configuration entry '" + ApiException.echo(configurationId) + "' of instance "
                        + instance.id() + ": GET /instances/" + instance.id() + "/configuration lists them"));
    }

    /**
     * Route step {@code render-configuration-entry}: entry {@code key} of the instance in the body, as stored. When the
     * entry is the signature key, one the bridge generated for this request is shown this once, with the warnings.
     */
    public ObjectNode entry(@Body Instance instance, @ExchangeProperty(KEY_PROPERTY) String key,
                            @ExchangeProperty(InstanceCall.PROPERTY) InstanceCall call) {
        ObjectNode entry = entry(key, InstanceJson.maskedConfiguration(instance).get(key));
        if (call == null || !key.equals(PollingConfiguration.SIGNATURE_KEY)) {
            return entry; // the warnings are about the signature key: said when it is the entry set
        }
        if (call.generatedSignatureKey() != null) {
            entry.put("propertyValue", call.generatedSignatureKey());
        }
        if (!call.warnings().isEmpty()) {
            call.warnings().forEach(entry.putArray("warnings")::add);
        }
        return entry;
    }

    private ObjectNode entry(String key, JsonNode value) {
        ObjectNode entry = mapper.createObjectNode();
        entry.put("id", idOf(key));
        entry.put("key", key);
        entry.put("propertyKey", key);
        entry.set("propertyValue", value == null ? mapper.nullNode() : value.deepCopy());
        return entry;
    }

    /** The entry id of a configuration key: fixed for the known keys, derived from the name for any other. */
    static long idOf(String key) {
        Long known = KNOWN_IDS.get(key);
        if (known != null) {
            return known;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 6; i++) {
                bits = (bits << 8) | (hash[i] & 0xff);
            }
            return 1000 + bits; // below 2^53: exact in JavaScript clients too
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String authenticated(String user) {
        if (user == null) {
            throw new IllegalStateException("A configuration route reached the store before authenticating");
        }
        return user;
    }
}
