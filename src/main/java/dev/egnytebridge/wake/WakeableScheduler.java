package dev.egnytebridge.wake;

import java.time.Duration;
import java.time.Instant;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@code scheduler:} route's poll on one thread of its own: at once after {@link #wake()}, at the earliest
 * time given to {@link #wakeAt(Instant)}, and otherwise every fallback interval. A route names it with
 * {@code scheduler=#beanName}. An idle bridge thus sleeps instead of querying its database many times a second, and
 * work stored in this process starts without waiting for a tick; the fallback look only finds work stored by other
 * nodes of a cluster (and is the safety net for anything else).
 * <p>
 * Wake-ups that arrive while the route runs are kept: the route runs once more right after, so nothing is missed.
 */
public class WakeableScheduler extends ServiceSupport implements ScheduledPollConsumerScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(WakeableScheduler.class);

    private final String name;
    private final long fallbackNanos;
    private final Object lock = new Object();
    private CamelContext camelContext;
    private Runnable task;
    private Thread thread;
    private boolean woken;
    /** System.nanoTime() of the earliest known due work; Long.MAX_VALUE when none is known. */
    private long dueAtNanos = Long.MAX_VALUE;
    private volatile boolean running;

    public WakeableScheduler(String name, Duration fallback) {
        if (fallback.isNegative() || fallback.isZero()) {
            throw new IllegalArgumentException("The fallback interval of " + name + " must be positive");
        }
        this.name = name;
        this.fallbackNanos = fallback.toNanos();
    }

    /** Runs the route as soon as it is not running. Cheap: callable from any thread, any number of times. */
    public void wake() {
        synchronized (lock) {
            woken = true;
            lock.notifyAll();
        }
    }

    /** Runs the route at {@code when} at the latest (earlier if woken or another due time comes first). */
    public void wakeAt(Instant when) {
        long delayNanos = Math.max(0, Duration.between(Instant.now(), when).toNanos());
        long at = System.nanoTime() + delayNanos;
        synchronized (lock) {
            if (at - dueAtNanos < 0 || dueAtNanos == Long.MAX_VALUE) {
                dueAtNanos = at;
                lock.notifyAll();
            }
        }
    }

    @Override
    public void onInit(Consumer consumer) {
        // nothing to learn from the consumer: it runs whenever this scheduler runs its task
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.task = task;
    }

    @Override
    public void unscheduleTask() {
        this.task = null;
    }

    @Override
    public void startScheduler() {
        synchronized (lock) {
            if (thread != null) {
                return;
            }
            running = true;
            thread = new Thread(this::loop, "wake-" + name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public boolean isSchedulerStarted() {
        return thread != null;
    }

    @Override
    protected void doStop() throws Exception {
        Thread t;
        synchronized (lock) {
            running = false;
            lock.notifyAll();
            t = thread;
            thread = null;
        }
        if (t != null && t != Thread.currentThread()) {
            t.join(Duration.ofSeconds(30).toMillis());
        }
    }

    @Override
    protected void doShutdown() throws Exception {
        doStop();
    }

    private void loop() {
        while (running) {
            Runnable current = task;
            if (current != null) {
                try {
                    current.run();
                } catch (RuntimeException e) {
                    // the consumer reports its own errors; this only keeps the loop alive
                    LOG.warn("Scheduled run of {} failed: {}", name, e.toString());
                }
            }
            awaitNextRun();
        }
    }

    private void awaitNextRun() {
        synchronized (lock) {
            long deadline = System.nanoTime() + fallbackNanos;
            while (running && !woken) {
                long now = System.nanoTime();
                if (dueAtNanos != Long.MAX_VALUE && now - dueAtNanos >= 0) {
                    break;
                }
                long until = dueAtNanos != Long.MAX_VALUE && dueAtNanos - deadline < 0 ? dueAtNanos : deadline;
                long waitNanos = until - now;
                if (waitNanos <= 0) {
                    break;
                }
                try {
                    lock.wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                    return;
                }
            }
            woken = false;
            if (dueAtNanos != Long.MAX_VALUE && System.nanoTime() - dueAtNanos >= 0) {
                dueAtNanos = Long.MAX_VALUE;
            }
        }
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
