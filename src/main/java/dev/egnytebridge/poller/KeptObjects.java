package dev.egnytebridge.poller;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * For hand-offs customized to leave objects out (docs/customizing.md, "Filter on the Egnyte path"): the aggregation of
 * a split over a page whose steps mark each object to keep with exchange property {@value #KEEP} (set inside a
 * filter, say). The split's result is the kept objects, in their order; an object's failure fails the split.
 */
public class KeptObjects implements AggregationStrategy {

    /** Set on an object's sub-exchange by the customized route's step that keeps it. */
    public static final String KEEP = "bridgeKeepObject";

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange result = oldExchange != null ? oldExchange : newExchange;
        @SuppressWarnings("unchecked")
        List<PolledObject> kept = oldExchange != null ? oldExchange.getMessage().getBody(List.class) : new ArrayList<>();
        if (newExchange.getException() != null) {
            result.setException(newExchange.getException());
        }
        PolledObject object = newExchange.getMessage().getBody(PolledObject.class);
        if (object != null && newExchange.getProperty(KEEP, false, Boolean.class)) {
            kept.add(object);
        }
        result.getMessage().setBody(kept);
        return result;
    }
}
