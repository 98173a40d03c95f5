package dev.egnytebridge.poller;

/**
 * What route schedule-due-polls carries through one look at the schedule (exchange property {@value #PROPERTY}, set
 * by its step {@code look-at-least-once}): whether every free poller thread got a due poll, so that more may be due
 * at once and the route looks again.
 */
public final class Look {

    public static final String PROPERTY = "look";

    private boolean moreDue = true;

    /** True before the first claim, and after a claim that gave every free poller thread a poll. */
    public boolean moreDue() {
        return moreDue;
    }

    void claimed(boolean everyFreeThreadGotOne) {
        moreDue = everyFreeThreadGotOne;
    }
}
