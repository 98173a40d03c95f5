package dev.egnytebridge.instance;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.egnyte.DatePattern;

/**
 * One polled resource of {@code event.poller.configuration}: the Egnyte events feed ({@code /hubs/documents/events})
 * or any other Egnyte {@code /pubapi/...} URL polled by date window.
 *
 * @param key                   the resource key (also the notification's objectType)
 * @param url                   as configured, with query parameters and date placeholders
 * @param idField               dotted path to the id of each item
 * @param itemsPath             dotted path to the array of items, or null for a top-level array
 * @param updatedDateField      dotted path to the updated date, or null
 * @param updatedDate           how to read it, or null
 * @param createdDateField      dotted path to the created date, or null
 * @param createdDate           how to read it, or null
 * @param filterByUpdatedDate   keep only items updated inside the poll's date window
 * @param filterByCurrentDate   Cloud Elements' option: filter on the current date instead of the last poll (kept as given)
 * @param createdCheckTolerance seconds within which created and updated dates count as "created"
 * @param pageSize              items asked for per page, or null for the provider's default
 * @param pollDelaySeconds      seconds subtracted from the window start
 */
public record ResourceConfig(String key, String url, String idField, String itemsPath,
                             String updatedDateField, DatePattern updatedDate,
                             String createdDateField, DatePattern createdDate,
                             boolean filterByUpdatedDate, boolean filterByCurrentDate, long createdCheckTolerance,
                             Integer pageSize, long pollDelaySeconds) {

    public static final String EVENTS_URL = "/hubs/documents/events";

    /**
     * The events resource exactly as the seed document configures it (its createdDateFormat's stray quote included):
     * the default the sandbox and the setup page start from.
     */
    public static ObjectNode seedEventsResource() {
        ObjectNode events = JsonNodeFactory.instance.objectNode();
        events.put("url", EVENTS_URL);
        events.put("idField", "event_object_id");
        ObjectNode dates = events.putObject("datesConfiguration");
        dates.put("updatedDateField", "event_date");
        dates.put("updatedDateFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
        dates.put("updatedDateTimezone", "GMT");
        dates.put("createdDateField", "event_date");
        dates.put("createdDateFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX'");
        dates.put("createdDateTimezone", "GMT");
        return events;
    }

    /** Whether this is Egnyte's events feed, read by cursor rather than by date. */
    public boolean isEventsFeed() {
        return pathOf(url).equals(EVENTS_URL);
    }

    /** The query string of the configured url (passed through to Egnyte), or "" when none. */
    public String query() {
        int q = url.indexOf('?');
        return q < 0 ? "" : url.substring(q + 1);
    }

    public static String pathOf(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
