package dev.egnytebridge.instance;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the bean {@code pollerScheduler} (dev.egnytebridge.poller.PollerScheduler) in the instance API tests:
 * records what the routes asked it to do.
 */
public class RecordingPollerScheduler {

    public final List<Instance> refreshed = new CopyOnWriteArrayList<>();
    public final List<Long> removed = new CopyOnWriteArrayList<>();

    /** When set, the next refresh fails with this message (to see how the API answers an internal failure). */
    public volatile String failNextRefresh;

    public void refresh(Instance instance) {
        String failure = failNextRefresh;
        if (failure != null) {
            failNextRefresh = null;
            throw new IllegalStateException(failure);
        }
        refreshed.add(instance);
    }

    public void remove(long instanceId) {
        removed.add(instanceId);
    }
}
