package dev.egnytebridge.instance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.ApiException;
import dev.egnytebridge.egnyte.EgnyteOAuth;
import dev.egnytebridge.security.ApiAuthenticator;
import dev.egnytebridge.security.Tokens;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code instanceApi}: the steps of the instance routes that read and write the store, always on behalf of the
 * authenticated user (property {@code bridgeUser}); another user's instance is answered as absent.
 */
public class InstanceApi {

    /** Exchange property: the id of the instance a route works on. */
    public static final String INSTANCE_ID = "bridgeInstanceId";
    /** Exchange property: the new instance's token, shown once in the answer to its creation. */
    public static final String NEW_TOKEN = "bridgeInstanceToken";
    /**
     * Exchange property set by a PATCH that sets {@code event.notification.callback.url}: the URLs it lists (a List of
     * String), which the route then enables again if they were disabled.
     */
    public static final String PATCHED_CALLBACK_URLS = "bridgePatchedCallbackUrls";

    private static final Logger LOG = LoggerFactory.getLogger(InstanceApi.class);

    private final InstanceStore store;
    private final ObjectMapper mapper;

    public InstanceApi(InstanceStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /** Route step {@code store-instance}: stores the checked request with its new access token; the body becomes the Instance. */
    public Instance create(Exchange exchange) {
        NewInstance request = exchange.getMessage().getBody(NewInstance.class);
        String accessToken = accessToken(exchange);
        String token = Tokens.newInstanceToken();
        Instance created = store.insert(user(exchange), request.name(), request.elementKey(), request.subdomain(),
                request.configuration(), request.secrets().withAccessToken(accessToken), request.tags(),
                request.eventsEnabled(), Tokens.sha256Hex(token));
        exchange.setProperty(NEW_TOKEN, token);
        exchange.setProperty(INSTANCE_ID, created.id());
        LOG.info("User {} created instance {} ({}) on subdomain {}", created.owner(), created.id(), created.name(), created.subdomain());
        return created;
    }

    /** Route step {@code undo-store-instance}: deletes the instance just stored, when its poller could not be scheduled. */
    public void undoCreate(Exchange exchange) {
        Long id = exchange.getProperty(INSTANCE_ID, Long.class);
        if (id != null) {
            store.delete(id);
            LOG.warn("Instance {} was not kept: its poller could not be scheduled", id);
        }
    }

    /** Route step {@code store-instance-change}: writes the checked change (with a new access token if re-authorized). */
    public Instance update(Exchange exchange) {
        InstanceChange change = exchange.getMessage().getBody(InstanceChange.class);
        Instance instance = change.instance();
        boolean valid = instance.valid();
        InstanceSecrets secrets = instance.secrets();
        if (change.reauthorize()) {
            secrets = secrets.withAccessToken(accessToken(exchange));
            valid = true;
        }
        store.update(new Instance(instance.id(), instance.owner(), instance.name(), instance.elementKey(), instance.subdomain(),
                instance.configuration(), secrets, instance.tags(), instance.eventsEnabled(), valid, instance.disabled(),
                instance.createdDate(), instance.updatedDate(), instance.pollerState()));
        exchange.setProperty(INSTANCE_ID, instance.id());
        LOG.info("User {} changed instance {}{}", instance.owner(), instance.id(), change.reauthorize() ? " and re-authorized it" : "");
        return store.find(instance.id()).orElseThrow(() -> ApiException.notFound("Instance " + instance.id() + " was deleted meanwhile"));
    }

    /** Route step {@code find-instance}: the caller's instance named by path parameter {@code id}. */
    public Instance find(Exchange exchange) {
        Instance instance = owned(store, exchange.getMessage().getHeader("id", String.class), user(exchange));
        exchange.setProperty(INSTANCE_ID, instance.id());
        return instance;
    }

    /** Route step {@code delete-instance}: deletes the instance found before, with its cursors and notifications. */
    public void delete(Exchange exchange) {
        long id = exchange.getProperty(INSTANCE_ID, Long.class);
        if (!store.delete(id)) {
            throw ApiException.notFound("No instance " + id);
        }
        LOG.info("User {} deleted instance {}", user(exchange), id);
    }

    /** The caller's instances, optionally only those carrying every tag of the {@code tags[]} query parameters. */
    public ArrayNode list(Exchange exchange) {
        List<String> wanted = queryValues(exchange.getMessage().getHeader("tags[]"));
        wanted.addAll(queryValues(exchange.getMessage().getHeader("tags")));
        return render(store.findByOwner(user(exchange)).stream()
                .filter(instance -> instance.tags().containsAll(wanted)).toList());
    }

    /** The caller's instances whose poller was disabled after repeated failures. */
    public ArrayNode pollingDisabled(Exchange exchange) {
        return render(store.findPollingDisabled(user(exchange)));
    }

    /** The instance in the body as the API shows it; the token too right after its creation. */
    public ObjectNode render(Exchange exchange) {
        Instance instance = exchange.getMessage().getBody(Instance.class);
        return InstanceJson.render(mapper, instance, exchange.getProperty(NEW_TOKEN, String.class), store.positions(instance.id()));
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

    private static String user(Exchange exchange) {
        String user = exchange.getProperty(ApiAuthenticator.USER, String.class);
        if (user == null) {
            throw new IllegalStateException("Route " + exchange.getFromRouteId() + " reached the store before authenticating");
        }
        return user;
    }

    private static String accessToken(Exchange exchange) {
        String token = exchange.getProperty(EgnyteOAuth.ACCESS_TOKEN, String.class);
        if (token == null) {
            throw new IllegalStateException("Route " + exchange.getFromRouteId() + " stores an instance without an access token");
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
