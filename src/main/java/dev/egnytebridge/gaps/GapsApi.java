package dev.egnytebridge.gaps;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.api.ApiAuthenticator;
import dev.egnytebridge.api.QueryParameters;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceApi;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/** The gaps of the REST API: {@code GET /instances/{id}/gaps}, and the latest ones on the instance itself. */
public class GapsApi {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 200;
    /** How many of the newest gaps {@code GET /instances/{id}} shows. */
    public static final int LATEST = 5;

    private final EventGaps gaps;
    private final InstanceStore instances;
    private final ObjectMapper mapper;

    public GapsApi(EventGaps gaps, InstanceStore instances, ObjectMapper mapper) {
        this.gaps = gaps;
        this.instances = instances;
        this.mapper = mapper;
    }

    /** {@code GET /instances/{id}/gaps?page=&pageSize=}: the caller's instance's gaps, newest first. */
    public ArrayNode list(@Header("id") String id, @Header("page") String page, @Header("pageSize") String pageSize,
                          @ExchangeProperty(ApiAuthenticator.USER) String user) {
        Instance instance = InstanceApi.owned(instances, id, user);
        int number = QueryParameters.wholeNumber("page", page, 1, 1, 1_000_000);
        int size = QueryParameters.wholeNumber("pageSize", pageSize, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        return render(gaps.page(instance.id(), (number - 1) * size, size));
    }

    /** Route step: adds {@code gaps} ({@code count} and the {@code latest} few) to the rendered instance in the body. */
    public ObjectNode withGaps(@Body ObjectNode instance) {
        long id = instance.path("id").asLong();
        ObjectNode json = instance.putObject("gaps");
        json.put("count", gaps.count(id));
        json.set("latest", render(gaps.page(id, 0, LATEST)));
        return instance;
    }

    private ArrayNode render(List<EventGap> list) {
        ArrayNode array = mapper.createArrayNode();
        for (EventGap gap : list) {
            ObjectNode json = array.addObject();
            json.put("id", gap.id());
            json.put("resource", gap.resource());
            json.put("fromCursor", gap.fromCursor());
            json.put("toCursor", gap.toCursor());
            json.put("reason", gap.reason());
            json.put("detectedAt", gap.detectedAt().toString());
            json.put("notified", gap.notified());
        }
        return array;
    }
}
