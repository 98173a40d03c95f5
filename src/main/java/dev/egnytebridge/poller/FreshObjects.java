package dev.egnytebridge.poller;

import java.util.ArrayList;
import java.util.List;

import dev.egnytebridge.observe.BridgeMetrics;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Gathers the objects of a page that the idempotent filter let through (marked by the step inside the idempotent consumer), in
 * their original order, as the split's result.
 */
public class FreshObjects implements AggregationStrategy {

    /** Set by the route's step inside the idempotent consumer, which only new objects reach. */
    public static final String NEW_OBJECT = "bridgeNewObject";

    private final BridgeMetrics metrics;

    public FreshObjects(BridgeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange result = oldExchange != null ? oldExchange : newExchange;
        @SuppressWarnings("unchecked")
        List<PolledObject> fresh = oldExchange != null ? oldExchange.getMessage().getBody(List.class) : new ArrayList<>();
        if (newExchange.getException() != null) {
            result.setException(newExchange.getException());
        }
        boolean isNew = newExchange.getProperty(NEW_OBJECT, false, Boolean.class);
        PolledObject object = newExchange.getMessage().getBody(PolledObject.class);
        if (isNew && object != null) {
            fresh.add(object);
        } else if (object != null && newExchange.getException() == null) {
            Poll poll = newExchange.getProperty(Poll.PROPERTY, Poll.class);
            metrics.duplicateDropped(poll == null ? null : poll.instanceId());
        }
        result.getMessage().setBody(fresh);
        return result;
    }
}
