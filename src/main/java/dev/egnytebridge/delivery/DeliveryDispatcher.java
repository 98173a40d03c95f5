package dev.egnytebridge.delivery;

import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Claims only as many due deliveries as the delivery thread pool has room for. The dispatch route may tick again
 * while earlier deliveries are still waiting on slow endpoints; claiming by free capacity lets new deliveries start at
 * once on the free threads, without piling leased deliveries up in a queue where their leases could run out.
 */
public class DeliveryDispatcher {

    private final Outbox outbox;
    private final ThreadPoolExecutor pool;
    private final int batchSize;
    private final int maxConcurrency;

    public DeliveryDispatcher(Outbox outbox, ThreadPoolExecutor pool, int batchSize, int maxConcurrency) {
        this.outbox = outbox;
        this.pool = pool;
        this.batchSize = batchSize;
        this.maxConcurrency = maxConcurrency;
    }

    public List<Delivery> claimDue() {
        int busy = pool.getActiveCount() + pool.getQueue().size();
        return outbox.claimDue(Math.min(batchSize, maxConcurrency - busy));
    }
}
