package dev.egnytebridge.hubs;

import dev.egnytebridge.instance.Instance;

/**
 * What route list-hub-events carries (exchange property {@value #PROPERTY}, set by its step {@code read-paging}): the
 * authenticated instance, the page size asked for, and where the page starts in Egnyte's events (null until the
 * newest page's start is read from Egnyte's cursor).
 */
public final class HubPage {

    public static final String PROPERTY = "hubPage";

    private final Instance instance;
    private final int pageSize;
    private Long start;

    HubPage(Instance instance, int pageSize, Long start) {
        this.instance = instance;
        this.pageSize = pageSize;
        this.start = start;
    }

    public Instance instance() {
        return instance;
    }

    public int pageSize() {
        return pageSize;
    }

    /** The id after which the page's events start, or null while the newest page's start is not known yet. */
    public Long start() {
        return start;
    }

    void startAt(long id) {
        this.start = id;
    }
}
