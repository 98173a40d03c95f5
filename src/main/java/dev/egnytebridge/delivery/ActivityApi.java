package dev.egnytebridge.delivery;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.api.ApiAuthenticator;
import dev.egnytebridge.api.QueryParameters;
import dev.egnytebridge.delivery.DeliveryActivity.HourActivity;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceApi;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * Bean {@code activityApi}: step {@code count-deliveries-by-hour} of {@code GET /instances/{id}/activity?hours=24}, the
 * caller's instance's delivered and failed deliveries in each of the last hours, and how late its latest-starting poll
 * of each hour started ({@link DeliveryActivity}).
 */
public class ActivityApi {

    public static final int DEFAULT_HOURS = 24;
    public static final int MAX_HOURS = 168;

    private final DeliveryActivity activity;
    private final InstanceStore instances;
    private final ObjectMapper mapper;

    public ActivityApi(DeliveryActivity activity, InstanceStore instances, ObjectMapper mapper) {
        this.activity = activity;
        this.instances = instances;
        this.mapper = mapper;
    }

    /**
     * {@code [{"hour": "2026-12-01T10:00:00Z", "delivered": 3, "failed": 0, "pollLagMsMax": 40}, ...]}, oldest first,
     * every hour.
     */
    public ArrayNode hourly(@Header("id") String id, @Header("hours") String hoursParameter,
                            @ExchangeProperty(ApiAuthenticator.USER) String user) {
        if (user == null) {
            throw new IllegalStateException("The activity route reached its bean before authenticating");
        }
        Instance instance = InstanceApi.owned(instances, id, user);
        int hours = QueryParameters.wholeNumber("hours", hoursParameter, DEFAULT_HOURS, 1, MAX_HOURS);
        List<HourActivity> buckets = activity.hourly(instance.id(), hours, Instant.now());
        ArrayNode array = mapper.createArrayNode();
        for (HourActivity bucket : buckets) {
            ObjectNode json = array.addObject();
            json.put("hour", bucket.hour().toString());
            json.put("delivered", bucket.delivered());
            json.put("failed", bucket.failed());
            // null: no poll of the instance started in that hour
            json.put("pollLagMsMax", bucket.pollLagMsMax());
        }
        return array;
    }
}
