package dev.egnytebridge.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.egnytebridge.observe.BridgeMetrics;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores attempt outcomes in batches, off the HTTP client's event loop: outcomes queue up while one thread writes
 * the previous batch, so under load one transaction records many attempts, and an idle bridge waits here without
 * any work. Only once a batch is committed are its slots freed and the dispatcher told what changed; if the database
 * is unreachable the batch is tried again (its slots stay taken, so nothing more is sent meanwhile).
 */
public class AttemptLog extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptLog.class);
    private static final int MAX_BATCH = 500;

    private final BlockingQueue<AttemptOutcomes.Recorded> queue = new LinkedBlockingQueue<>();
    private final AttemptOutcomes outcomes;
    private final EndpointStates endpoints;
    private final TransactionTemplate transactions;
    private final DeliveryDispatcher dispatcher;
    private final Supplier<BridgeMetrics> metrics;
    private Thread writer;
    private volatile boolean running;

    AttemptLog(AttemptOutcomes outcomes, EndpointStates endpoints, TransactionTemplate transactions,
               DeliveryDispatcher dispatcher, Supplier<BridgeMetrics> metrics) {
        this.outcomes = outcomes;
        this.endpoints = endpoints;
        this.transactions = transactions;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
    }

    /** Queues an outcome; never blocks (called on the HTTP client's event loop). */
    public void add(Delivery delivery, AttemptOutcome outcome) {
        queue.add(new AttemptOutcomes.Recorded(delivery, outcome));
    }

    @Override
    protected void doStart() {
        running = true;
        writer = new Thread(this::writeLoop, "delivery-attempt-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Stops after the routes (Camel stops services last): writes what the last attempts left in the queue. */
    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        if (writer != null) {
            writer.interrupt();
            writer.join(Duration.ofSeconds(10).toMillis());
            writer = null;
        }
        List<AttemptOutcomes.Recorded> rest = new ArrayList<>();
        queue.drainTo(rest);
        if (!rest.isEmpty()) {
            try {
                write(rest);
            } catch (RuntimeException e) {
                LOG.warn("Could not record {} delivery attempts on stop; they are attempted again once their lease runs "
                        + "out: {}", rest.size(), e.toString());
            }
        }
    }

    private void writeLoop() {
        List<AttemptOutcomes.Recorded> batch = new ArrayList<>();
        while (running) {
            try {
                if (batch.isEmpty()) {
                    batch.add(queue.take());
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                LOG.warn("Could not record {} delivery attempts, trying again in 1 s: {}", batch.size(), e.toString());
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException stop) {
                    break;
                }
            }
        }
        queue.addAll(batch);
    }

    private void write(List<AttemptOutcomes.Recorded> batch) {
        endpoints.prepare(batch);
        BatchEffects effects = new BatchEffects();
        List<DeliveryStatus> statuses = transactions.execute(tx -> {
            List<DeliveryStatus> s = outcomes.write(batch, effects);
            endpoints.apply(batch, effects);
            return s;
        });
        List<Delivery> done = new ArrayList<>(batch.size());
        BridgeMetrics m = metrics.get();
        for (int i = 0; i < batch.size(); i++) {
            AttemptOutcomes.Recorded r = batch.get(i);
            done.add(r.delivery());
            m.deliveryAttempt(r.delivery().instanceId(), statuses.get(i).name(), r.outcome().durationMs(),
                    r.delivery().newestEventAt(), r.delivery().body());
            if (statuses.get(i) == DeliveryStatus.DELIVERED && r.delivery().pushedAt() != null) {
                m.pushToDelivery(java.time.Duration.between(r.delivery().pushedAt(), java.time.Instant.now()));
            }
        }
        effects.heldOrigins.forEach(dispatcher::holdEndpoint);
        effects.disabled.forEach(c -> dispatcher.dropCallback(c.instanceId(), c.url()));
        if (effects.earliestDue != null) {
            dispatcher.dueAt(effects.earliestDue);
        }
        dispatcher.finished(done);
        if (effects.newWork) {
            dispatcher.newWork();
        }
    }
}
