package dev.egnytebridge.instance;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.api.ApiAuthenticator;
import dev.egnytebridge.api.ApiException;
import dev.egnytebridge.api.JsonRequestBody;
import dev.egnytebridge.egnyte.EgnyteOAuth;
import dev.egnytebridge.egnyte.EgnyteOAuthGrant;
import dev.egnytebridge.security.CallbackAddressPolicy;
import dev.egnytebridge.security.PublicBaseUrl;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * Bean {@code instanceRequests}: reads and checks the bodies of {@code POST /instances}, {@code PATCH} and {@code PUT
 * /instances/{id}} and {@code PATCH /instances/{id}/configuration/{configurationId}} before anything is exchanged or
 * stored. Every problem is a 4xx naming the field at fault.
 */
public class InstanceRequests {

    public static final String ELEMENT_KEY = "egnyte";
    public static final String API_KEY = "oauth.api.key";
    public static final String API_SECRET = "oauth.api.secret";
    public static final String OAUTH_CALLBACK = "oauth.callback.url";
    public static final String SUBDOMAIN = "subdomain";
    public static final String SIGNATURE_KEY = PollingConfiguration.SIGNATURE_KEY;
    /** What responses show for a secret; sent back in a PATCH it means "keep the stored value". */
    public static final String MASK = "********";
    public static final int MAX_NAME = 400;
    public static final int MAX_TAGS = 100;
    public static final int MAX_TAG = 200;

    /** The fields of a POST /instances body; anything else is refused rather than silently ignored. */
    static final Set<String> CREATE_FIELDS = Set.of("element", "providerData", "configuration", "tags", "name");
    /** The fields a PATCH may change. */
    static final Set<String> PATCH_FIELDS = Set.of("providerData", "configuration", "tags", "name");
    /**
     * What GET /instances/{id} shows that no request changes: a PATCH or PUT ignores them, so a client can send back the
     * body it got ({@code element} is checked, then ignored; {@code id} must be the path's).
     */
    static final List<String> READ_ONLY_FIELDS = List.of("id", "token", "element", "createdDate", "updatedDate",
            "eventsEnabled", "valid", "disabled", "user", "poller", "callbacks", "gaps", "warnings", "push");

    private final JsonRequestBody bodies;
    private final InstanceStore store;
    private final CallbackAddressPolicy callbacks;
    private final PublicBaseUrl publicBase;

    public InstanceRequests(ObjectMapper mapper, InstanceStore store, CallbackAddressPolicy callbacks,
                            PublicBaseUrl publicBase) {
        this.bodies = new JsonRequestBody(mapper);
        this.store = store;
        this.callbacks = callbacks;
        this.publicBase = publicBase;
    }

    /** Route step {@code validate-instance-request}: the checked request, kept in property {@value InstanceCall#PROPERTY}. */
    public InstanceCall parseCreate(@Body String text, @ExchangeProperty(ApiAuthenticator.USER) String user) {
        ObjectNode body = bodies.object(text);
        onlyKnownFields(body, CREATE_FIELDS);
        JsonNode element = body.get("element");
        if (element == null || element.isNull()) {
            throw ApiException.badField("element.key", "is required: {\"element\": {\"key\": \"egnyte\"}}");
        }
        if (!element.isObject()) {
            throw ApiException.badField("element", "must be an object such as {\"key\": \"egnyte\"}");
        }
        JsonNode key = element.get("key");
        if (key == null || !key.isTextual() || !ELEMENT_KEY.equals(key.textValue())) {
            throw ApiException.badField("element.key", "must be \"egnyte\", the only element this bridge serves");
        }
        String code = code(body).orElseThrow(() -> ApiException.badField("providerData.code",
                "is required: the authorization code Egnyte sent to your OAuth callback"));
        String name = name(body.get("name"));
        List<String> tags = tags(body.get("tags"));
        JsonNode configuration = body.get("configuration");
        if (configuration == null || configuration.isNull()) {
            throw ApiException.badField("configuration", "is required");
        }
        if (!configuration.isObject()) {
            throw ApiException.badField("configuration", "must be an object");
        }
        CheckedConfiguration checked = check((ObjectNode) configuration.deepCopy());
        checkAddresses(checked.polling());
        return checked.advised(InstanceCall.create(user, new NewInstance(name, ELEMENT_KEY, checked.subdomain(),
                checked.configuration(), new InstanceSecrets(null, checked.apiSecret(), checked.signatureKey()), tags,
                checked.polling().eventsEnabled()), checked.grant(code)));
    }

    /**
     * Route step {@code validate-instance-change}: merges the patch into the caller's instance {@code id}, kept in
     * property {@value InstanceCall#PROPERTY}; with {@code providerData.code} it carries the grant to exchange. The
     * read-only fields of GET /instances/{id} ({@link #READ_ONLY_FIELDS}) are ignored, so the body of a GET can be sent
     * back changed.
     */
    public InstanceCall parsePatch(@Header("id") String id, @Body String text,
                                   @ExchangeProperty(ApiAuthenticator.USER) String user) {
        Instance current = InstanceApi.owned(store, id, user);
        ObjectNode body = withoutReadOnlyFields(bodies.object(text), current);
        onlyKnownFields(body, PATCH_FIELDS);
        String name = body.has("name") ? name(body.get("name")) : current.name();
        List<String> tags = body.has("tags") ? tags(body.get("tags")) : current.tags();
        JsonNode patch = body.get("configuration");
        if (patch != null && !patch.isNull() && !patch.isObject()) {
            throw ApiException.badField("configuration", "must be an object of the keys to change");
        }
        ObjectNode merged = withSecrets(current);
        if (patch != null && patch.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (maskedSecret(e.getKey(), e.getValue())) {
                    continue; // a masked value sent back unchanged
                }
                if (e.getValue().isNull()) {
                    merged.remove(e.getKey());
                } else {
                    merged.set(e.getKey(), e.getValue().deepCopy());
                }
            }
        }
        boolean setsCallbacks = patch != null && patch.hasNonNull(PollingConfiguration.CALLBACK_URL);
        return changed(current, user, name, tags, merged, code(body), setsCallbacks);
    }

    /**
     * Route step {@code validate-instance-replacement} of {@code PUT /instances/{id}}: the body of a POST /instances
     * (name and configuration required, tags absent = none) replaces the caller's instance {@code id} as a whole: a
     * configuration key left out is removed. It keeps its access token unless {@code providerData.code} is given
     * (required to change the subdomain); a secret sent as {@value #MASK} keeps the stored one; the read-only fields of
     * GET /instances/{id} are ignored.
     */
    public InstanceCall parsePut(@Header("id") String id, @Body String text,
                                 @ExchangeProperty(ApiAuthenticator.USER) String user) {
        Instance current = InstanceApi.owned(store, id, user);
        ObjectNode body = withoutReadOnlyFields(bodies.object(text), current);
        onlyKnownFields(body, CREATE_FIELDS);
        String name = name(body.get("name"));
        List<String> tags = tags(body.get("tags"));
        JsonNode configuration = body.get("configuration");
        if (configuration == null || configuration.isNull()) {
            throw ApiException.badField("configuration", "is required: PUT replaces the whole configuration "
                    + "(PATCH /instances/{id} changes some keys)");
        }
        if (!configuration.isObject()) {
            throw ApiException.badField("configuration", "must be an object");
        }
        ObjectNode stored = withSecrets(current);
        ObjectNode replaced = ((ObjectNode) configuration).deepCopy();
        for (String secret : List.of(API_SECRET, SIGNATURE_KEY)) {
            if (maskedSecret(secret, replaced.get(secret))) {
                replaced.set(secret, stored.get(secret)); // the stored secret, or none when there is none
            }
        }
        replaced.remove(nullKeys(replaced));
        return changed(current, user, name, tags, replaced, code(body), replaced.hasNonNull(PollingConfiguration.CALLBACK_URL));
    }

    /**
     * Route step {@code validate-configuration-change} of {@code PATCH /instances/{id}/configuration/{configurationId}}:
     * {@code {"propertyValue": ...}} sets configuration key {@code key} (null removes it), checked as a PATCH of that
     * one key would be. The entry's own fields sent back ({@code id}, {@code key}, {@code propertyKey}) are ignored.
     */
    public InstanceCall parseConfigurationChange(@Header("id") String id,
                                                 @ExchangeProperty(ConfigurationEntries.KEY_PROPERTY) String key,
                                                 @Body String text, @ExchangeProperty(ApiAuthenticator.USER) String user) {
        Instance current = InstanceApi.owned(store, id, user);
        ObjectNode body = bodies.object(text);
        for (String echo : List.of("id", "key", "propertyKey", "name")) {
            body.remove(echo);
        }
        onlyKnownFields(body, Set.of("propertyValue"));
        if (!body.has("propertyValue")) {
            throw ApiException.badField("propertyValue", "is required: {\"propertyValue\": ...} (null removes the key)");
        }
        JsonNode value = body.get("propertyValue");
        ObjectNode merged = withSecrets(current);
        if (!maskedSecret(key, value)) {
            if (value.isNull()) {
                merged.remove(key);
            } else {
                merged.set(key, value.deepCopy());
            }
        }
        boolean setsCallbacks = key.equals(PollingConfiguration.CALLBACK_URL) && !value.isNull();
        return changed(current, user, current.name(), current.tags(), merged, Optional.empty(), setsCallbacks);
    }

    /**
     * The caller's instance with a new name, tags and whole configuration (secrets included), checked; with
     * {@code code} the grant to exchange; {@code setsCallbacks} when the request set the callback URLs.
     */
    private InstanceCall changed(Instance current, String user, String name, List<String> tags, ObjectNode configuration,
                                 Optional<String> code, boolean setsCallbacks) {
        CheckedConfiguration checked = check(configuration);
        checkAddresses(checked.polling());
        if (!checked.subdomain().equals(current.subdomain()) && code.isEmpty()) {
            throw ApiException.badField("providerData.code", "is required to move an instance to another subdomain: "
                    + "its access token belongs to " + current.subdomain());
        }
        // setting the callback URLs is the user's word that they work: disabled ones among them are enabled
        List<String> enable = setsCallbacks ? checked.polling().callbackUrls() : List.of();
        InstanceSecrets secrets = new InstanceSecrets(current.secrets().accessToken(), checked.apiSecret(), checked.signatureKey());
        // the user has acted on the instance: a poller disabled after repeated failures gets another chance
        PollerState state = current.pollerState();
        PollerState reset = new PollerState(false, 0, state.lastPollAt(), state.lastPollStatus(), state.lastPollError(),
                state.pausedUntil(), state.pausedReason());
        Instance changed = new Instance(current.id(), current.owner(), name, current.elementKey(), checked.subdomain(),
                checked.configuration(), secrets, tags, checked.polling().eventsEnabled(), current.valid(), current.disabled(),
                current.createdDate(), current.updatedDate(), reset);
        return checked.advised(InstanceCall.change(user, changed, code.map(checked::grant).orElse(null), enable));
    }

    /** Whether {@code value} is the mask of secret {@code key} sent back: "keep the stored value". */
    private static boolean maskedSecret(String key, JsonNode value) {
        boolean secret = key.equals(API_SECRET) || key.equals(SIGNATURE_KEY);
        return secret && value != null && value.isTextual() && MASK.equals(value.textValue());
    }

    private static List<String> nullKeys(ObjectNode configuration) {
        List<String> keys = new ArrayList<>();
        configuration.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                keys.add(e.getKey());
            }
        });
        return keys;
    }

    /**
     * The body without what GET /instances/{id} shows but no request can change. An {@code id} other than the path's,
     * or an {@code element.key} other than {@value #ELEMENT_KEY}, is a mistake worth a 400 rather than silence.
     */
    private static ObjectNode withoutReadOnlyFields(ObjectNode body, Instance current) {
        JsonNode id = body.get("id");
        if (id != null && !id.isNull() && !id.asText().equals(String.valueOf(current.id()))) {
            throw ApiException.badField("id", "is not the instance in the path (" + current.id() + "); leave it out");
        }
        JsonNode element = body.get("element");
        if (element != null && !element.isNull()) {
            JsonNode key = element.isObject() ? element.get("key") : null;
            if (key != null && !key.isNull() && !(key.isTextual() && ELEMENT_KEY.equals(key.textValue()))) {
                throw ApiException.badField("element.key", "must be \"egnyte\", the only element this bridge serves");
            }
            if (!element.isObject()) {
                throw ApiException.badField("element", "must be an object such as {\"key\": \"egnyte\"}");
            }
        }
        body.remove(READ_ONLY_FIELDS);
        return body;
    }

    /** The stored configuration with its secrets put back, as the user last gave it. */
    private static ObjectNode withSecrets(Instance instance) {
        ObjectNode configuration = instance.configuration().deepCopy();
        if (instance.secrets().apiSecret() != null) {
            configuration.put(API_SECRET, instance.secrets().apiSecret());
        }
        if (instance.secrets().hasSignatureKey()) {
            configuration.put(SIGNATURE_KEY, instance.secrets().signatureKey());
        }
        return configuration;
    }

    private record CheckedConfiguration(ObjectNode configuration, String subdomain, String apiKey, String apiSecret,
                                        String callbackUrl, SignatureKeys.Checked signature, PollingConfiguration polling) {

        String signatureKey() {
            return signature.key();
        }

        /** Warnings for the answer, and the key the bridge generated, shown once in it. */
        InstanceCall advised(InstanceCall call) {
            call.advise(signature.warning() == null ? List.of() : List.of(signature.warning()),
                    signature.generated() ? signature.key() : null);
            return call;
        }

        EgnyteOAuthGrant grant(String code) {
            return new EgnyteOAuthGrant(subdomain, apiKey, apiSecret, callbackUrl, code);
        }

        @Override
        public String toString() {
            return "CheckedConfiguration[subdomain=" + subdomain + "]";
        }
    }

    /** The addresses a configuration needs: callbacks the policy allows, and a public base URL for webhooks. */
    private void checkAddresses(PollingConfiguration polling) {
        callbacks.checkConfigured("configuration." + PollingConfiguration.CALLBACK_URL, polling.callbackUrls());
        publicBase.checkWebhooksMode("configuration." + PollingConfiguration.VENDOR_TYPE, polling.webhooks());
    }

    /** Checks a whole configuration and takes its secrets out of it. */
    private static CheckedConfiguration check(ObjectNode configuration) {
        String apiKey = requiredText(configuration, API_KEY);
        String apiSecret = requiredText(configuration, API_SECRET);
        String callback = EgnyteOAuth.httpUrl("configuration." + OAUTH_CALLBACK, requiredText(configuration, OAUTH_CALLBACK));
        String subdomain = EgnyteOAuth.subdomain("configuration." + SUBDOMAIN, requiredText(configuration, SUBDOMAIN));
        configuration.put(SUBDOMAIN, subdomain);
        SignatureKeys.Checked signature = SignatureKeys.check("configuration." + SIGNATURE_KEY,
                optionalText(configuration, SIGNATURE_KEY));
        PollingConfiguration polling = PollingConfiguration.from(configuration);
        configuration.remove(API_SECRET);
        configuration.remove(SIGNATURE_KEY);
        return new CheckedConfiguration(configuration, subdomain, apiKey, apiSecret, callback, signature, polling);
    }

    private static void onlyKnownFields(ObjectNode body, Set<String> known) {
        JsonRequestBody.onlyKnownFields(body, known);
    }

    private static Optional<String> code(ObjectNode body) {
        JsonNode providerData = body.get("providerData");
        if (providerData == null || providerData.isNull()) {
            return Optional.empty();
        }
        if (!providerData.isObject()) {
            throw ApiException.badField("providerData", "must be an object such as {\"code\": \"...\"}");
        }
        JsonNode code = providerData.get("code");
        if (code == null || code.isNull()) {
            return Optional.empty();
        }
        if (!code.isTextual() || code.textValue().isBlank()) {
            throw ApiException.badField("providerData.code", "must be a non-empty string");
        }
        if (code.textValue().length() > 4096) {
            throw ApiException.badField("providerData.code", "is too long");
        }
        return Optional.of(code.textValue().trim());
    }

    static String name(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiException.badField("name", "is required");
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            throw ApiException.badField("name", "must be a non-empty string");
        }
        String name = node.textValue().trim();
        if (name.length() > MAX_NAME) {
            throw ApiException.badField("name", "is too long (" + MAX_NAME + " characters at most)");
        }
        return name;
    }

    static List<String> tags(JsonNode node) {
        List<String> tags = new ArrayList<>();
        if (node == null || node.isNull()) {
            return tags;
        }
        if (!node.isArray()) {
            throw ApiException.badField("tags", "must be an array of strings");
        }
        if (node.size() > MAX_TAGS) {
            throw ApiException.badField("tags", "has more than " + MAX_TAGS + " tags");
        }
        for (JsonNode tag : node) {
            if (!tag.isTextual() || tag.textValue().isBlank()) {
                throw ApiException.badField("tags", "must be an array of non-empty strings");
            }
            if (tag.textValue().length() > MAX_TAG) {
                throw ApiException.badField("tags", "has a tag longer than " + MAX_TAG + " characters");
            }
            if (!tags.contains(tag.textValue())) {
                tags.add(tag.textValue());
            }
        }
        return tags;
    }

    private static String requiredText(ObjectNode configuration, String key) {
        String value = optionalText(configuration, key);
        if (value == null) {
            throw ApiException.badField("configuration." + key, "is required");
        }
        return value;
    }

    private static String optionalText(ObjectNode configuration, String key) {
        JsonNode node = configuration.get(key);
        if (node == null || node.isNull() || (node.isTextual() && node.textValue().isEmpty())) {
            return null;
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            throw ApiException.badField("configuration." + key, "must be a non-empty string");
        }
        if (node.textValue().length() > 2000) {
            throw ApiException.badField("configuration." + key, "is too long (2000 characters at most)");
        }
        return node.textValue().trim();
    }
}
