package dev.egnytebridge.poller;

import java.util.ArrayList;
import java.util.List;

/** Cuts a page's new objects into the batches of one notification each: at most 10, Cloud Elements' polling limit. */
public class NotificationBatches {

    public static final int MAX_OBJECTS_PER_NOTIFICATION = 10;

    public List<List<PolledObject>> of(List<PolledObject> objects) {
        List<List<PolledObject>> batches = new ArrayList<>();
        for (int from = 0; from < objects.size(); from += MAX_OBJECTS_PER_NOTIFICATION) {
            batches.add(List.copyOf(objects.subList(from, Math.min(objects.size(), from + MAX_OBJECTS_PER_NOTIFICATION))));
        }
        return batches;
    }
}
