package dev.egnytebridge.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.egnytebridge.wake.WakeableScheduler;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what this node sends next, fairly across endpoints. Each endpoint (a callback URL's origin) has its own
 * lane: at most {@code perEndpoint} requests in flight, and at most as many more leased and waiting their turn, so
 * a slow or dead endpoint holds a bounded share whatever its backlog. The node holds at most {@code maxInFlight}
 * requests; when that is the limit, lanes take turns (round-robin), one request each.
 * <p>
 * Route step {@code claim-due-deliveries} calls {@link #nextToSend()}; the attempt log calls {@link #finished} once an
 * outcome is stored, which frees the slot and wakes the route. Looking at the database is skipped when the route
 * only woke for a freed slot and the last look found nothing new. Work stored on this node ({@link #newWork()}) is
 * remembered until a look has started after it, so no freed slot, full node or wake in between can drop it.
 */
public class DeliveryDispatcher extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryDispatcher.class);

    private static final class Lane {
        final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
        int inFlight;
    }

    private final DeliveryClaims claims;
    private final WakeableScheduler wakeup;
    private final int maxInFlight;
    private final int perEndpoint;
    private final int batchSize;
    private final long idleCheckNanos;

    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private int inFlight;
    private String servedLast;
    /** The last look may have left due work behind (a full batch, or endpoints skipped for lack of room). */
    private boolean lastLookLeftWork = true;
    private long lastLookNanos = System.nanoTime();
    /** Work was stored on this node since the last look started (and before the first: whatever a restart left). */
    private final AtomicBoolean workStored = new AtomicBoolean(true);
    /** System.nanoTime() when the earliest delivery known to this node falls due; Long.MAX_VALUE when none is known. */
    private final java.util.concurrent.atomic.AtomicLong knownDueNanos = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);

    public DeliveryDispatcher(DeliveryClaims claims, WakeableScheduler wakeup, int maxInFlight, int perEndpoint,
                              int batchSize, Duration idleCheck) {
        this.claims = claims;
        this.wakeup = wakeup;
        this.maxInFlight = maxInFlight;
        this.perEndpoint = perEndpoint;
        this.batchSize = batchSize;
        this.idleCheckNanos = idleCheck.toNanos();
    }

    /** Route step: leases what is due and fits, and returns the deliveries to send now. */
    public List<Delivery> nextToSend() {
        long knownDue = knownDueNanos.get();
        boolean dueNow = knownDue != Long.MAX_VALUE && System.nanoTime() - knownDue >= 0;
        if (dueNow) {
            knownDueNanos.compareAndSet(knownDue, Long.MAX_VALUE);
        }
        Set<String> full;
        boolean look;
        synchronized (this) {
            full = fullLanes();
            boolean room = inFlight + waitingCount() < 2 * maxInFlight;
            look = room && (workStored.get() || dueNow || lastLookLeftWork
                    || System.nanoTime() - lastLookNanos >= idleCheckNanos);
        }
        if (look) {
            // cleared before the query: work stored from here on is either seen by it or signalled again
            workStored.set(false);
            lookForDue(full);
        }
        return takeTurns();
    }

    /** Something was stored or made due on this node: look at the database on the next run, which starts at once. */
    public void newWork() {
        workStored.set(true);
        wakeup.wake();
    }

    /** A delivery will be due then (a retry, an endpoint's wait ending): look at that time. */
    public void dueAt(Instant when) {
        long at = System.nanoTime() + Math.max(0, java.time.Duration.between(Instant.now(), when).toNanos());
        knownDueNanos.accumulateAndGet(at, Math::min);
        wakeup.wakeAt(when);
    }

    /** The outcome of these attempts is stored: their slots are free. */
    public void finished(List<Delivery> deliveries) {
        synchronized (this) {
            for (Delivery d : deliveries) {
                Lane lane = lanes.get(d.origin());
                if (lane != null) {
                    lane.inFlight--;
                    inFlight--;
                    if (lane.inFlight <= 0 && lane.waiting.isEmpty()) {
                        lanes.remove(d.origin());
                    }
                }
            }
        }
        wakeup.wake();
    }

    /** The endpoint must not be attempted for now (circuit opened, throttled): its waiting deliveries are given back. */
    public void holdEndpoint(String origin) {
        List<Delivery> released;
        synchronized (this) {
            Lane lane = lanes.get(origin);
            if (lane == null || lane.waiting.isEmpty()) {
                return;
            }
            released = new ArrayList<>(lane.waiting);
            lane.waiting.clear();
        }
        claims.release(released);
    }

    /** A callback URL of an instance was disabled: its waiting deliveries are dropped (the database already ended them). */
    public synchronized void dropCallback(long instanceId, String url) {
        for (Lane lane : lanes.values()) {
            lane.waiting.removeIf(d -> d.instanceId() == instanceId && d.endpointUrl().equals(url));
        }
    }

    /** Requests in flight on this node. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** Endpoints with a request in flight on this node. */
    public synchronized int busyEndpoints() {
        return (int) lanes.values().stream().filter(l -> l.inFlight > 0).count();
    }

    /** Deliveries leased by this node and waiting for a free slot of their endpoint. */
    public synchronized int waitingCount() {
        int n = 0;
        for (Lane lane : lanes.values()) {
            n += lane.waiting.size();
        }
        return n;
    }

    private Set<String> fullLanes() {
        Set<String> full = new HashSet<>();
        lanes.forEach((origin, lane) -> {
            if (lane.inFlight + lane.waiting.size() >= 2 * perEndpoint) {
                full.add(origin);
            }
        });
        return full;
    }

    private void lookForDue(Set<String> full) {
        java.sql.Timestamp now = java.sql.Timestamp.from(Instant.now());
        List<DeliveryClaims.Candidate> due = claims.due(now, full, batchSize);
        List<Long> chosen = new ArrayList<>();
        Set<Long> probes = new HashSet<>();
        Map<String, Integer> taken = new LinkedHashMap<>();
        boolean skipped = !full.isEmpty();
        synchronized (this) {
            for (DeliveryClaims.Candidate c : due) {
                Lane lane = lanes.get(c.origin());
                int held = lane == null ? 0 : lane.inFlight + lane.waiting.size();
                int already = taken.getOrDefault(c.origin(), 0);
                if (c.circuitOpenedUntil() != null) {
                    // the circuit was opened and its wait is over: one probe, and only if nothing else is out there
                    if (held + already > 0 || !claims.takeProbe(c.origin(), c.circuitOpenedUntil())) {
                        continue;
                    }
                    probes.add(c.id());
                } else if (held + already >= 2 * perEndpoint) {
                    skipped = true;
                    continue;
                }
                taken.merge(c.origin(), 1, Integer::sum);
                chosen.add(c.id());
            }
        }
        List<Delivery> leased = claims.lease(chosen, probes);
        if (!skipped && due.size() < batchSize) {
            // everything due now is taken: sleep until the next stored time falls due (a woken look comes sooner).
            // Read from the database, so nothing depends on this process having heard of it (a restart, a replay)
            claims.nextDue(now).ifPresent(this::dueAt);
        }
        synchronized (this) {
            lastLookNanos = System.nanoTime();
            lastLookLeftWork = skipped || due.size() >= batchSize;
            for (Delivery d : leased) {
                lanes.computeIfAbsent(d.origin(), o -> new Lane()).waiting.add(d);
            }
        }
        if (LOG.isDebugEnabled() && !leased.isEmpty()) {
            LOG.debug("Leased {} deliveries for {} endpoints", leased.size(), taken.size());
        }
    }

    /** Round-robin over the lanes, one delivery per lane per turn, within both limits. */
    private synchronized List<Delivery> takeTurns() {
        List<Delivery> toSend = new ArrayList<>();
        if (lanes.isEmpty()) {
            return toSend;
        }
        List<String> order = rotation();
        boolean progress = true;
        while (progress && inFlight < maxInFlight) {
            progress = false;
            for (String origin : order) {
                Lane lane = lanes.get(origin);
                if (inFlight >= maxInFlight) {
                    break;
                }
                if (lane.waiting.isEmpty() || lane.inFlight >= perEndpoint) {
                    continue;
                }
                toSend.add(lane.waiting.poll());
                lane.inFlight++;
                inFlight++;
                servedLast = origin;
                progress = true;
            }
        }
        return toSend;
    }

    /** The lanes, starting after the one served last, so no endpoint always goes first when slots are scarce. */
    private List<String> rotation() {
        List<String> all = new ArrayList<>(lanes.keySet());
        int start = servedLast == null ? 0 : all.indexOf(servedLast) + 1;
        List<String> order = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            order.add(all.get((start + i) % all.size()));
        }
        return order;
    }

    /** On stop, leases of deliveries still waiting here are given back, so a restart sends them at once. */
    @Override
    protected void doStop() {
        List<Delivery> waiting = new ArrayList<>();
        synchronized (this) {
            for (Lane lane : lanes.values()) {
                waiting.addAll(lane.waiting);
                lane.waiting.clear();
            }
        }
        try {
            claims.release(waiting);
        } catch (RuntimeException e) {
            LOG.warn("Could not give back {} leased deliveries on stop; they are sent once their lease runs out: {}",
                    waiting.size(), e.toString());
        }
    }
}
