package dev.egnytebridge.instance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.api.ApiAuthenticator;
import dev.egnytebridge.api.ApiException;
import dev.egnytebridge.egnyte.EgnyteOAuth;
import dev.egnytebridge.security.Tokens;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code instanceApi}: the steps of routes/instances-api.yaml that read and write the store, always on behalf of
 * the authenticated user (property {@code bridgeUser}); another user's instance is answered as absent. A POST or PATCH
 * works on its {@link InstanceCall} (property {@value InstanceCall#PROPERTY}); the other steps on the body.
 */
public class InstanceApi {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceApi.class);

    private final InstanceStore store;
    private final ObjectMapper mapper;

    public InstanceApi(InstanceStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /** Route step {@code store-instance}: stores the checked request with its new access token; answers the Instance. */
    public Instance create(@ExchangeProperty(InstanceCall.PROPERTY) InstanceCall call,
                           @ExchangeProperty(EgnyteOAuth.ACCESS_TOKEN) String accessToken) {
        NewInstance request = call.newInstance();
        String token = Tokens.newInstanceToken();
        Instance created = store.insert(call.user(), request.name(), request.elementKey(), request.subdomain(),
                request.configuration(), request.secrets().withAccessToken(accessToken(accessToken)), request.tags(),
                request.eventsEnabled(), Tokens.sha256Hex(token));
        call.stored(created, token);
        LOG.info("User {} created instance {} ({}) on subdomain {}", created.owner(), created.id(), created.name(), created.subdomain());
        return created;
    }

    /** Route step {@code undo-store-instance}: deletes the instance just stored, when its poller could not be scheduled. */
    public void undoCreate(@ExchangeProperty(InstanceCall.PROPERTY) InstanceCall call) {
        if (call != null && call.instance() != null) {
            store.delete(call.instance().id());
            LOG.warn("Instance {} was not kept: its poller could not be scheduled", call.instance().id());
        }
    }

    /** Route step {@code store-instance-change}: writes the checked change (with a new access token if re-authorized). */
    public Instance update(@ExchangeProperty(InstanceCall.PROPERTY) InstanceCall call,
                           @ExchangeProperty(EgnyteOAuth.ACCESS_TOKEN) String accessToken) {
        Instance instance = call.change();
        boolean valid = instance.valid();
        InstanceSecrets secrets = instance.secrets();
        if (call.reauthorize()) {
            secrets = secrets.withAccessToken(accessToken(accessToken));
            valid = true;
        }
        store.update(new Instance(instance.id(), instance.owner(), instance.name(), instance.elementKey(), instance.subdomain(),
                instance.configuration(), secrets, instance.tags(), instance.eventsEnabled(), valid, instance.disabled(),
                instance.createdDate(), instance.updatedDate(), instance.pollerState()));
        LOG.info("User {} changed instance {}{}", instance.owner(), instance.id(), call.reauthorize() ? " and re-authorized it" : "");
        Instance stored = store.find(instance.id())
                .orElseThrow(() -> ApiException.notFound("Instance " + instance.id() + " was deleted meanwhile"));
        call.stored(stored, null);
        return stored;
    }

    /** Route step {@code find-instance}: the caller's instance named by path parameter {@code id}. */
    public Instance find(@Header("id") String id, @ExchangeProperty(ApiAuthenticator.USER) String user) {
        return owned(store, id, required(user));
    }

    /** Route step {@code delete-instance-row}: deletes the instance in the body, with its cursors and notifications. */
    public void delete(@Body Instance instance) {
        if (!store.delete(instance.id())) {
            throw ApiException.notFound("No instance " + instance.id());
        }
        LOG.info("User {} deleted instance {}", instance.owner(), instance.id());
    }

    /**
     * Route step {@code mark-instance-enabled} of {@code PUT /instances/{id}/enabled}: the instance in the body is enabled
     * (and a poller disabled after repeated failures gets another chance); answers it as stored.
     */
    public Instance enable(@Body Instance instance) {
        return setDisabled(instance, false);
    }

    /**
     * Route step {@code mark-instance-disabled} of {@code DELETE /instances/{id}/enabled}: the instance in the body is
     * disabled, keeping its configuration, cursors and history; answers it as stored.
     */
    public Instance disable(@Body Instance instance) {
        return setDisabled(instance, true);
    }

    private Instance setDisabled(Instance instance, boolean disabled) {
        store.setDisabled(instance.id(), disabled);
        LOG.info("User {} {} instance {}", instance.owner(), disabled ? "disabled" : "enabled", instance.id());
        return store.find(instance.id())
                .orElseThrow(() -> ApiException.notFound("Instance " + instance.id() + " was deleted meanwhile"));
    }

    /** The caller's instances, optionally only those carrying every tag of the {@code tags[]} query parameters. */
    public ArrayNode list(@Header("tags[]") Object tagsParameter, @Header("tags") Object tagsAlias,
                          @ExchangeProperty(ApiAuthenticator.USER) String user) {
        List<String> wanted = queryValues(tagsParameter);
        wanted.addAll(queryValues(tagsAlias));
        return render(store.findByOwner(required(user)).stream()
                .filter(instance -> instance.tags().containsAll(wanted)).toList());
    }

    /** The caller's instances whose poller was disabled after repeated failures. */
    public ArrayNode pollingDisabled(@ExchangeProperty(ApiAuthenticator.USER) String user) {
        return render(store.findPollingDisabled(required(user)));
    }

    /** The instance in the body as the API shows it; its token too right after its creation. */
    public ObjectNode render(@Body Instance instance, @ExchangeProperty(InstanceCall.PROPERTY) InstanceCall call) {
        ObjectNode json = InstanceJson.render(mapper, instance, call == null ? null : call.token(), store.positions(instance.id()));
        if (call != null && call.generatedSignatureKey() != null) {
            // asked for with "generate": shown in this answer only, masked from then on
            ((ObjectNode) json.get("configuration")).put(InstanceRequests.SIGNATURE_KEY, call.generatedSignatureKey());
        }
        if (call != null && !call.warnings().isEmpty()) {
            call.warnings().forEach(json.putArray("warnings")::add);
        }
        return json;
    }

    private ArrayNode render(List<Instance> instances) {
        ArrayNode array = mapper.createArrayNode();
        instances.forEach(instance -> array.add(InstanceJson.render(mapper, instance, null, store.positions(instance.id()))));
        return array;
    }

    /** The instance {@code id} if it belongs to {@code user}; otherwise (absent, another user's, not a number) a 404. */
    public static Instance owned(InstanceStore store, String id, String user) {
        long parsed;
        try {
            // digits only: no sign, no blanks (trim() would also drop a NUL or other control character)
            if (id == null || !id.matches("[0-9]{1,18}")) {
                throw new NumberFormatException();
            }
            parsed = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("No instance '" + (id == null ? "" : id.length() > 30 ? id.substring(0, 30) + "..." : id)
                    + "': instance ids are numbers");
        }
        return store.findOwned(parsed, user).orElseThrow(() -> ApiException.notFound("No instance " + parsed));
    }

    private static String required(String user) {
        if (user == null) {
            throw new IllegalStateException("An instance route reached the store before authenticating");
        }
        return user;
    }

    private static String accessToken(String token) {
        if (token == null) {
            throw new IllegalStateException("An instance route stores an instance without an access token");
        }
        return token;
    }

    private static List<String> queryValues(Object header) {
        List<String> values = new ArrayList<>();
        if (header instanceof Collection<?> many) {
            many.forEach(v -> values.add(String.valueOf(v)));
        } else if (header instanceof Object[] many) {
            for (Object v : many) {
                values.add(String.valueOf(v));
            }
        } else if (header != null) {
            values.add(header.toString());
        }
        return values;
    }
}
