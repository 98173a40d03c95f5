package dev.egnytebridge.poller;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Gathers the objects of a page that the idempotent filter let through (those it did not mark as duplicates), in
 * their original order, as the split's result.
 */
public class FreshObjects implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange result = oldExchange != null ? oldExchange : newExchange;
        @SuppressWarnings("unchecked")
        List<PolledObject> fresh = oldExchange != null ? oldExchange.getMessage().getBody(List.class) : new ArrayList<>();
        if (newExchange.getException() != null) {
            result.setException(newExchange.getException());
        }
        boolean duplicate = newExchange.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class);
        PolledObject object = newExchange.getMessage().getBody(PolledObject.class);
        if (!duplicate && object != null) {
            fresh.add(object);
        }
        result.getMessage().setBody(fresh);
        return result;
    }
}
