package dev.egnytebridge.poller;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.ResourceConfig;

/**
 * What one poll of one instance carries through its flow (exchange property {@value #PROPERTY}): set by step
 * {@code start-due-poll} of run-due-poll (schedule-polls.yaml), filled by {@code load-instance} of poll-instance
 * (poll-egnyte.yaml), and read by the steps after it, down to the hand-off (poll-handoff.yaml). The resources are read
 * one after the other, in split sub-exchanges that share this one object: {@link #resource()} is the one being read.
 */
public final class Poll {

    /** The exchange property the poll flow carries this under. */
    public static final String PROPERTY = "poll";

    private final DuePoll due;
    /** Shared by the resources' sub-exchanges; only the poll's log line and metrics read it. */
    private final AtomicInteger objectsFound = new AtomicInteger();
    private Instance instance;
    private List<ResourceConfig> resources = List.of();
    private List<String> callbackUrls = List.of();
    private ResourceRead resource;
    private Instant pushedAt;

    Poll(DuePoll due) {
        this.due = due;
    }

    /** The claim the poll runs for, with when it was planned and when it really started. */
    public DuePoll due() {
        return due;
    }

    public long instanceId() {
        return due.instanceId();
    }

    public Instant startedAt() {
        return due.startedAt();
    }

    /**
     * When the push of Egnyte's webhook that brought this poll arrived (the earliest one no poll had answered), or null
     * for a poll no push brought; its notifications carry it, for the push-to-delivery latency.
     */
    public Instant pushedAt() {
        return pushedAt;
    }

    public void answersPushOf(Instant pushed) {
        pushedAt = pushed;
    }

    /** The instance being polled; null when it is gone, no longer polled or paused (then nothing is read). */
    public Instance instance() {
        return instance;
    }

    public boolean pollable() {
        return instance != null;
    }

    /** The instance's resources, in the order of its configuration. */
    public List<ResourceConfig> resources() {
        return resources;
    }

    /** Where each notification of this poll is delivered. */
    public List<String> callbackUrls() {
        return callbackUrls;
    }

    /** The resource being read, set by step {@code name-the-resource}. */
    public ResourceRead resource() {
        return resource;
    }

    public int objectsFound() {
        return objectsFound.get();
    }

    void loaded(Instance instance, List<ResourceConfig> resources, List<String> callbackUrls) {
        this.instance = instance;
        this.resources = List.copyOf(resources);
        this.callbackUrls = List.copyOf(callbackUrls);
    }

    ResourceRead read(ResourceConfig config) {
        resource = new ResourceRead(config);
        return resource;
    }

    void found(int objects) {
        objectsFound.addAndGet(objects);
    }

    @Override
    public String toString() {
        return "Poll[instance " + instanceId() + (resource == null ? "" : ", resource " + resource.key()) + "]";
    }
}
