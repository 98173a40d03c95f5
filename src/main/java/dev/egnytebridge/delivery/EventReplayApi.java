package dev.egnytebridge.delivery;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.api.ApiAuthenticator;
import dev.egnytebridge.api.ApiException;
import dev.egnytebridge.delivery.EventReplay.Replayed;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceApi;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code eventReplayApi}: step {@code replay-events} of routes/events-api.yaml,
 * {@code POST /instances/{id}/events/replay} with {@code {"since": "<ISO 8601>", "callbackUrl": "<optional>"}}.
 * Sends every notification the caller's instance stored since then again, delivered ones too, each with its original
 * eventId: to each of the instance's callback URLs it was delivered to (or failed, or is on its way to), or only to
 * {@code callbackUrl}, which then also gets the notifications stored before it was added.
 */
public class EventReplayApi {

    static final Set<String> FIELDS = Set.of("since", "callbackUrl");

    private static final Logger LOG = LoggerFactory.getLogger(EventReplayApi.class);

    private final EventReplay replay;
    private final InstanceStore instances;
    private final DeliveryRequests requests;

    EventReplayApi(EventReplay replay, InstanceStore instances, DeliveryRequests requests) {
        this.replay = replay;
        this.instances = instances;
        this.requests = requests;
    }

    /** Answers {@code {"instanceId", "since", "notifications", "deliveries"}}: what will be sent again. */
    public Map<String, Object> replay(@Header("id") String id, @ExchangeProperty(ApiAuthenticator.USER) String user,
                                      @Body String body) {
        if (user == null) {
            throw new IllegalStateException("The replay route reached the store before authenticating");
        }
        Instance instance = InstanceApi.owned(instances, id, user);
        ObjectNode request = requests.object(body, FIELDS, false);
        Instant since = since(request.get("since") == null || request.get("since").isNull() ? null
                : request.get("since").isTextual() ? request.get("since").textValue() : "");
        String callbackUrl = DeliveryRequests.text(request, "callbackUrl");
        List<String> urls = callbackUrl == null ? DeliveryRequests.callbackUrls(instance)
                : List.of(DeliveryRequests.callbackUrlOf(instance, callbackUrl, "callbackUrl"));
        // nothing was stored before 1970: an earlier time means everything, and stays clear of old-calendar dates
        Instant from = since.isBefore(Instant.EPOCH) ? Instant.EPOCH : since;
        Replayed replayed = replay.replay(instance.id(), from, urls, callbackUrl != null);
        if (replayed.deliveries() > 0) {
            requests.wakeDispatcher();
        }
        LOG.info("User {} replayed the notifications of instance {} since {}{}: {} notifications, {} deliveries",
                user, instance.id(), since, callbackUrl == null ? "" : " to " + Delivery.loggableUrl(callbackUrl),
                replayed.notifications(), replayed.deliveries());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("instanceId", instance.id());
        answer.put("since", since.toString());
        answer.put("notifications", replayed.notifications());
        answer.put("deliveries", replayed.deliveries());
        return answer;
    }

    /**
     * An ISO 8601 date and time with its offset ({@code 2026-12-01T04:00:00Z}, {@code 2026-12-01T06:00:00+02:00}),
     * or a date ({@code 2026-12-01}, midnight UTC). Anything else, or nothing, is a 400 naming {@code since}.
     */
    static Instant since(String value) {
        if (value == null) {
            throw ApiException.badField("since", "is required: the ISO 8601 time from which to replay, such as 2026-12-01T00:00:00Z");
        }
        String text = value.trim();
        Instant since;
        try {
            since = text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badField("since", "must be an ISO 8601 date and time with its offset, such as "
                    + "2026-12-01T00:00:00Z or 2026-12-01T02:00:00+02:00");
        }
        if (since.isBefore(Instant.parse("0001-01-01T00:00:00Z")) || since.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
            throw ApiException.badField("since", "must be a time between the years 1 and 9999");
        }
        return since;
    }
}
