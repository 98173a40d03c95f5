package dev.egnytebridge.delivery;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.api.ApiAuthenticator;
import dev.egnytebridge.api.ApiException;
import dev.egnytebridge.api.QueryParameters;
import dev.egnytebridge.delivery.DeliveryHistory.AttemptHistory;
import dev.egnytebridge.delivery.DeliveryHistory.EndpointHistory;
import dev.egnytebridge.delivery.DeliveryHistory.HistoryFilter;
import dev.egnytebridge.delivery.DeliveryHistory.NotificationHistory;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceApi;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code eventHistoryApi}: the steps of routes/events-api.yaml. Shows an instance's notifications and how their
 * deliveries went, and replays them, always on behalf of the authenticated user (property {@code bridgeUser}): a
 * notification of another user's instance is answered as absent.
 */
public class EventHistoryApi {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 200;
    /** Event ids the bridge makes: UUIDs; anything else cannot name a notification. */
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final Logger LOG = LoggerFactory.getLogger(EventHistoryApi.class);

    private final DeliveryHistory history;
    private final InstanceStore instances;
    private final ObjectMapper mapper;

    public EventHistoryApi(DeliveryHistory history, InstanceStore instances, ObjectMapper mapper) {
        this.history = history;
        this.instances = instances;
        this.mapper = mapper;
    }

    /** Exchange property: the {@link HistoryQuery} of {@code GET /instances/{id}/events}, read by its first step. */
    public static final String QUERY = "historyQuery";
    /** The response header that tells how many notifications match the filters, over all pages. */
    public static final String TOTAL_COUNT_HEADER = "X-Total-Count";

    /** What {@code GET /instances/{id}/events} asks for: one page of the instance's notifications that pass the filter. */
    public record HistoryQuery(long instanceId, HistoryFilter filter, int page, int pageSize) {
    }

    /**
     * Step {@code read-history-filters} of {@code GET /instances/{id}/events?status=&since=&until=&page=&pageSize=}: the
     * caller's instance and the filters. {@code status} is one or more of PENDING, RETRYING, DELIVERED, FAILED
     * (comma-separated); {@code since} (inclusive) and {@code until} (exclusive) are ISO 8601 times. A bad value is a 400
     * naming its parameter.
     */
    public HistoryQuery query(@Header("id") String id, @Header("status") String status, @Header("since") String since,
                              @Header("until") String until, @Header("page") String pageParameter,
                              @Header("pageSize") String pageSizeParameter,
                              @ExchangeProperty(ApiAuthenticator.USER) String user) {
        Instance instance = instance(id, user);
        Set<String> statuses = QueryParameters.oneOrMoreOf("status", status, new LinkedHashSet<>(HistoryFilter.STATUSES));
        Instant from = QueryParameters.instant("since", since);
        Instant to = QueryParameters.instant("until", until);
        if (from != null && to != null && !to.isAfter(from)) {
            throw ApiException.badField("until", "must be later than since");
        }
        int page = QueryParameters.wholeNumber("page", pageParameter, 1, 1, 1_000_000);
        int pageSize = QueryParameters.wholeNumber("pageSize", pageSizeParameter, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        return new HistoryQuery(instance.id(), new HistoryFilter(statuses, from, to), page, pageSize);
    }

    /** Step {@code count-matching-events}: the answer's {@value #TOTAL_COUNT_HEADER}, the matches over all pages. */
    public Map<String, Object> totalCount(@ExchangeProperty(QUERY) HistoryQuery query) {
        return Map.of(TOTAL_COUNT_HEADER, String.valueOf(history.countForInstance(query.instanceId(), query.filter())));
    }

    /** Step {@code find-instance-events}: the page asked for, newest first, without bodies, with each one's object ids. */
    public ArrayNode list(@ExchangeProperty(QUERY) HistoryQuery query) {
        return render(history.listForInstance(query.instanceId(), query.filter(), query.page(), query.pageSize()));
    }

    /**
     * {@code GET /instances/events?page=&pageSize=}: the notifications of all the caller's instances, newest first, as
     * in the list of one instance (each names its {@code instanceId}).
     */
    public ArrayNode listAll(@Header("page") String pageParameter, @Header("pageSize") String pageSizeParameter,
                             @ExchangeProperty(ApiAuthenticator.USER) String user) {
        String owner = authenticated(user);
        int page = QueryParameters.wholeNumber("page", pageParameter, 1, 1, 1_000_000);
        int pageSize = QueryParameters.wholeNumber("pageSize", pageSizeParameter, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        return render(history.listForOwner(owner, page, pageSize));
    }

    private ArrayNode render(List<NotificationHistory> notifications) {
        Map<String, String> bodies = history.bodies(notifications.stream().map(NotificationHistory::eventId).toList());
        ArrayNode array = mapper.createArrayNode();
        for (NotificationHistory n : notifications) {
            ObjectNode json = render(n);
            JsonNode body = parse(bodies.get(n.eventId()));
            ArrayNode ids = json.putArray("objectIds");
            body.path("message").path("events").forEach(event -> {
                if (event.hasNonNull("objectId")) {
                    ids.add(event.get("objectId").asText());
                }
            });
            array.add(json);
        }
        return array;
    }

    /** {@code GET /instances/events/{eventId}}: one notification with its body as JSON and every attempt. */
    public ObjectNode find(@Header("eventId") String eventId, @ExchangeProperty(ApiAuthenticator.USER) String user) {
        NotificationHistory n = owned(user, eventId, null);
        ObjectNode json = render(n);
        json.set("body", parse(history.bodies(List.of(n.eventId())).get(n.eventId())));
        return json;
    }

    /** {@code POST /instances/{id}/events/{eventId}/retry}: redelivers it now (also a delivered one: a replay). */
    public Map<String, Object> retry(@Header("id") String id, @Header("eventId") String eventId,
                                     @ExchangeProperty(ApiAuthenticator.USER) String user) {
        Instance instance = instance(id, user);
        NotificationHistory n = owned(user, eventId, instance.id());
        int requeued = history.replay(n.eventId());
        LOG.info("User {} replayed notification {} of instance {}: {} deliveries requeued", instance.owner(), n.eventId(),
                instance.id(), requeued);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("eventId", n.eventId());
        answer.put("instanceId", instance.id());
        answer.put("requeued", requeued);
        return answer;
    }

    /** {@code POST /instances/{id}/events/retry}: requeues every FAILED (and GONE) delivery of the instance. */
    public Map<String, Object> retryFailed(@Header("id") String id, @ExchangeProperty(ApiAuthenticator.USER) String user) {
        Instance instance = instance(id, user);
        int requeued = history.retryFailed(instance.id());
        LOG.info("User {} retried the failed deliveries of instance {}: {} requeued", instance.owner(), instance.id(), requeued);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("instanceId", instance.id());
        answer.put("requeued", requeued);
        return answer;
    }

    private ObjectNode render(NotificationHistory n) {
        ObjectNode json = mapper.createObjectNode();
        json.put("eventId", n.eventId());
        json.put("instanceId", n.instanceId());
        json.put("resource", n.resource());
        json.put("createdDate", n.createdDate());
        json.put("objectCount", n.objectCount());
        json.put("status", n.status());
        ArrayNode endpoints = json.putArray("endpoints");
        for (EndpointHistory e : n.endpoints()) {
            ObjectNode endpoint = endpoints.addObject();
            endpoint.put("url", e.url());
            endpoint.put("status", e.status());
            endpoint.put("attemptCount", e.attemptCount());
            endpoint.put("nextAttemptDate", e.nextAttemptDate());
            ArrayNode attempts = endpoint.putArray("attempts");
            for (AttemptHistory a : e.attempts()) {
                ObjectNode attempt = attempts.addObject();
                attempt.put("date", a.date());
                attempt.put("httpStatus", a.httpStatus());
                attempt.put("error", a.error());
                attempt.put("durationMs", a.durationMs());
            }
        }
        return json;
    }

    /** The caller's instance named by path parameter {@code id}; 404 when absent or another user's. */
    private Instance instance(String id, String user) {
        return InstanceApi.owned(instances, id, authenticated(user));
    }

    /** The notification {@code eventId} if its instance is the caller's (and is {@code instanceId} when given). */
    private NotificationHistory owned(String caller, String eventId, Long instanceId) {
        String user = authenticated(caller);
        if (eventId == null || !EVENT_ID.matcher(eventId).matches()) {
            throw ApiException.notFound("No event '" + ApiException.echo(eventId) + "'");
        }
        return history.find(eventId)
                .filter(n -> instanceId == null || n.instanceId() == instanceId)
                .filter(n -> instances.findOwned(n.instanceId(), user).isPresent())
                .orElseThrow(() -> ApiException.notFound("No event " + eventId
                        + (instanceId == null ? "" : " of instance " + instanceId)));
    }

    private JsonNode parse(String body) {
        if (body == null) {
            return mapper.nullNode();
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            // the outbox only holds bodies the bridge wrote as JSON
            throw new IllegalStateException("A stored notification body is not JSON", e);
        }
    }

    private static String authenticated(String user) {
        if (user == null) {
            throw new IllegalStateException("An events route reached the event history before authenticating");
        }
        return user;
    }
}
