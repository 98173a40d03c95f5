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

    public void refresh(Instance instance) {
        refreshed.add(instance);
    }

    public void remove(long instanceId) {
        removed.add(instanceId);
    }
}
