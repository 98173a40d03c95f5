package dev.egnytebridge.poller;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.egnyte.DatePattern;
import dev.egnytebridge.egnyte.DateReader;
import dev.egnytebridge.egnyte.EgnyteAnswer;
import dev.egnytebridge.egnyte.EgnyteRequest;
import dev.egnytebridge.egnyte.JsonPaths;
import dev.egnytebridge.egnyte.UrlPlaceholders;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.ResourceConfig;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a resource other than the events feed ("copy the events configuration to poll other resources"): fills the
 * url's date placeholders from the window start, reads the items (top-level array or {@code itemsPath}), keeps those
 * updated inside the window (unless {@code filterByUpdatedDate} is false), and tells CREATED from UPDATED by comparing
 * created and updated dates within {@code createdCheckTolerance} seconds.
 */
public class DatedResource {

    private static final Logger LOG = LoggerFactory.getLogger(DatedResource.class);

    /** Step {@code ask-for-resource}: the request for the window of the resource being read. */
    public EgnyteRequest request(@ExchangeProperty(Poll.PROPERTY) Poll poll) {
        Instance instance = poll.instance();
        ResourceConfig resource = poll.resource().config();
        Instant start = poll.resource().windowStart();
        String url = UrlPlaceholders.fill(resource.url(), start, zoneOf(resource));
        int q = url.indexOf('?');
        String query = q < 0 ? "" : url.substring(q + 1);
        if (resource.pageSize() != null && !hasParameter(query, "count")) {
            // pageSize asks Egnyte for that many items (its listings' count parameter), unless the url already does
            query = query.isEmpty() ? "count=" + resource.pageSize() : query + "&count=" + resource.pageSize();
        }
        return EgnyteRequest.get(instance.subdomain(), instance.secrets().accessToken(), q < 0 ? url : url.substring(0, q),
                query).forInstance(instance.id());
    }

    private static boolean hasParameter(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.equals(name) || pair.startsWith(name + "=")) {
                return true;
            }
        }
        return false;
    }

    /** Step {@code read-resource-items}: the items Egnyte answered that changed inside the window. */
    public List<PolledObject> readItems(@Body EgnyteAnswer answer, @ExchangeProperty(Poll.PROPERTY) Poll poll) {
        Instance instance = poll.instance();
        ResourceConfig resource = poll.resource().config();
        List<PolledObject> objects = new ArrayList<>();
        if (!answer.noContent()) {
            JsonNode root = answer.json();
            Instant start = poll.resource().windowStart();
            Instant end = poll.resource().windowEnd();
            for (ObjectNode item : JsonPaths.items(root, resource.itemsPath())) {
                PolledObject object = toPolledObject(instance, resource, item, start, end);
                if (object != null) {
                    objects.add(object);
                }
            }
        }
        return objects;
    }

    static PolledObject toPolledObject(Instance instance, ResourceConfig resource, ObjectNode item, Instant start, Instant end) {
        String id = JsonPaths.text(item, resource.idField());
        if (id == null) {
            LOG.warn("An item of resource {} of instance {} has no {}; skipped", resource.key(), instance.id(), resource.idField());
            return null;
        }
        Instant updated = read(item, resource.updatedDateField(), resource.updatedDate());
        Instant created = read(item, resource.createdDateField(), resource.createdDate());
        if (resource.filterByUpdatedDate() && updated != null && (updated.isBefore(start) || !updated.isBefore(end))) {
            return null;
        }
        String eventType;
        if (created != null && updated != null) {
            long apart = Math.abs(Duration.between(created, updated).toSeconds());
            eventType = apart <= resource.createdCheckTolerance() ? "CREATED" : "UPDATED";
        } else {
            eventType = "UPDATED";
        }
        Instant date = updated != null ? updated : created;
        String iso = date == null ? null : DateReader.iso(date);
        return new PolledObject(resource.key(), id, eventType, iso, item,
                IdempotencyKeys.of(instance.id(), resource.key(), id, iso));
    }

    private static Instant read(ObjectNode item, String field, DatePattern pattern) {
        if (field == null || pattern == null) {
            return null;
        }
        return DateReader.read(JsonPaths.find(item, field), pattern);
    }

    private static java.time.ZoneId zoneOf(ResourceConfig resource) {
        DatePattern pattern = resource.updatedDate() != null ? resource.updatedDate() : resource.createdDate();
        return pattern != null && pattern.formatter() != null ? pattern.formatter().getZone() : java.time.ZoneOffset.UTC;
    }
}
