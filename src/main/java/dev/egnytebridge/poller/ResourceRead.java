package dev.egnytebridge.poller;

import java.time.Instant;

import dev.egnytebridge.gaps.EventGap;
import dev.egnytebridge.instance.ResourceConfig;

/**
 * The reading of one resource within a {@link Poll}: where it starts (the events cursor, or the date window) and,
 * once a page is read, the position the hand-off moves the resource to in the same transaction as its notifications.
 */
public final class ResourceRead {

    /** Which position the next events request asks Egnyte for, when there is no usable cursor. */
    enum CursorRequest { LATEST, OLDEST }

    /** Events after {@code fromCursor} up to {@code toCursor} may have been lost at Egnyte ({@code reason}). */
    public record Gap(String fromCursor, String toCursor, String reason) {
    }

    private final ResourceConfig config;
    // the events feed
    private String cursor;
    private CursorRequest cursorRequest;
    private boolean morePages = true;
    private int pages;
    // the stored cursor Egnyte no longer knew, until reading restarts from its oldest event
    private String agedOutCursor;
    // found while reading and stored by the hand-off that moves the cursor past it (PollGaps.record)
    private Gap gap;
    // a dated resource
    private Instant windowStart;
    private Instant windowEnd;
    // what the hand-off stores (PollCursors.advance); null: the page moves nothing
    private String nextCursor;
    private Instant nextWindowEnd;

    ResourceRead(ResourceConfig config) {
        this.config = config;
    }

    public ResourceConfig config() {
        return config;
    }

    /** The resource key of event.poller.configuration. */
    public String key() {
        return config.key();
    }

    /** Whether the events feed has another page to read in this poll. */
    public boolean morePages() {
        return morePages;
    }

    public String cursor() {
        return cursor;
    }

    CursorRequest cursorRequest() {
        return cursorRequest;
    }

    int pages() {
        return pages;
    }

    public Instant windowStart() {
        return windowStart;
    }

    public Instant windowEnd() {
        return windowEnd;
    }

    public String nextCursor() {
        return nextCursor;
    }

    public Instant nextWindowEnd() {
        return nextWindowEnd;
    }

    /** The gap the hand-off stores with the cursor that moves past it, or null. */
    public Gap gap() {
        return gap;
    }

    /** The hand-off stored the gap. */
    void gapStored() {
        gap = null;
    }

    /** Egnyte no longer knows the cursor: reading restarts from the oldest event it keeps, and what lay between is a gap. */
    void cursorAgedOut() {
        agedOutCursor = cursor;
        cursorRequest = CursorRequest.OLDEST;
    }

    /** The first page began after the event that follows the cursor. */
    void gapBefore(String firstEventRead, String reason) {
        gap = new Gap(cursor, firstEventRead, reason);
    }

    void startAt(String storedCursor) {
        agedOutCursor = null;
        gap = null;
        cursor = storedCursor;
        cursorRequest = storedCursor == null ? CursorRequest.LATEST : null;
        morePages = true;
        pages = 0;
    }

    /** A page read up to {@code newCursor} (null: no progress); {@code more}: another page may follow. */
    void pageRead(String newCursor, boolean more) {
        if (newCursor != null) {
            cursor = newCursor;
            nextCursor = newCursor;
        }
        morePages = more;
    }

    void countPage() {
        pages++;
    }

    /** Egnyte's cursor answered: reading starts after {@code position}. */
    void cursorFound(String position, boolean more) {
        if (agedOutCursor != null) {
            gap = new Gap(agedOutCursor, position, EventGap.CURSOR_AGED_OUT);
            agedOutCursor = null;
        }
        cursor = position;
        nextCursor = position;
        cursorRequest = null;
        morePages = more;
    }

    /** Nothing the hand-off should store yet (set before each page is read). */
    void clearNext() {
        nextCursor = null;
    }

    void window(Instant start, Instant end) {
        windowStart = start;
        windowEnd = end;
        nextWindowEnd = end;
    }
}
