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
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * Bean {@code instanceRequests}: reads and checks the bodies of {@code POST /instances} and {@code PATCH /instances/{id}}
 * before anything is exchanged or stored. Every problem is a 4xx naming the field at fault.
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

    private final JsonRequestBody bodies;
    private final InstanceStore store;
    private final CallbackAddressPolicy callbacks;

    public InstanceRequests(ObjectMapper mapper, InstanceStore store, CallbackAddressPolicy callbacks) {
        this.bodies = new JsonRequestBody(mapper);
        this.store = store;
        this.callbacks = callbacks;
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
        callbacks.checkConfigured("configuration." + PollingConfiguration.CALLBACK_URL, checked.polling().callbackUrls());
        return checked.advised(InstanceCall.create(user, new NewInstance(name, ELEMENT_KEY, checked.subdomain(),
                checked.configuration(), new InstanceSecrets(null, checked.apiSecret(), checked.signatureKey()), tags,
                checked.polling().eventsEnabled()), checked.grant(code)));
    }

    /**
     * Route step {@code validate-instance-change}: merges the patch into the caller's instance {@code id}, kept in
     * property {@value InstanceCall#PROPERTY}; with {@code providerData.code} it carries the grant to exchange.
     */
    public InstanceCall parsePatch(@Header("id") String id, @Body String text,
                                   @ExchangeProperty(ApiAuthenticator.USER) String user) {
        Instance current = InstanceApi.owned(store, id, user);
        ObjectNode body = bodies.object(text);
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
                boolean secret = e.getKey().equals(API_SECRET) || e.getKey().equals(SIGNATURE_KEY);
                if (secret && e.getValue().isTextual() && MASK.equals(e.getValue().textValue())) {
                    continue; // a masked value sent back unchanged
                }
                if (e.getValue().isNull()) {
                    merged.remove(e.getKey());
                } else {
                    merged.set(e.getKey(), e.getValue().deepCopy());
                }
            }
        }
        CheckedConfiguration checked = check(merged);
        callbacks.checkConfigured("configuration." + PollingConfiguration.CALLBACK_URL, checked.polling().callbackUrls());
        var code = code(body);
        if (!checked.subdomain().equals(current.subdomain()) && code.isEmpty()) {
            throw ApiException.badField("providerData.code", "is required to move an instance to another subdomain: "
                    + "its access token belongs to " + current.subdomain());
        }
        // setting the callback URLs is the user's word that they work: disabled ones among them are enabled
        List<String> enable = patch != null && patch.hasNonNull(PollingConfiguration.CALLBACK_URL)
                ? checked.polling().callbackUrls() : List.of();
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
