package dev.egnytebridge.budget;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.instance.Instance;
import dev.egnytebridge.instance.InstanceCall;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/** The daily call budget in the instance API (routes/instances-api.yaml): shown on the instance, warned of on change. */
public class BudgetApi {

    private final CallBudget budget;
    private final InstanceStore instances;
    private final Duration minInterval;

    public BudgetApi(CallBudget budget, InstanceStore instances, Duration minInterval) {
        this.budget = budget;
        this.instances = instances;
        this.minInterval = minInterval;
    }

    /**
     * Route step {@code get-instance-budget}: adds to the rendered instance's {@code poller} the interval it is really
     * polled at, its token's calls in the last 24 hours, the budget, and why the interval differs when it does.
     */
    public ObjectNode withBudget(@Body ObjectNode json) {
        Instance instance = instances.find(json.path("id").asLong()).orElse(null);
        JsonNode poller = json.get("poller");
        if (instance == null || !(poller instanceof ObjectNode shown)) {
            return json;
        }
        CallBudget.Plan plan = plan(instance);
        shown.put("effectiveIntervalSeconds", plan.effectiveInterval().toSeconds());
        shown.put("callsLast24h", plan.callsLast24h());
        shown.put("callBudgetPerDay", plan.callsPerDay());
        String reason = plan.reason();
        if (reason != null) {
            shown.put("effectiveIntervalReason", reason);
        }
        return json;
    }

    /**
     * Route steps {@code warn-of-daily-budget} (create) and {@code warn-of-daily-budget-on-change} (PATCH): an interval
     * the budget cannot keep is accepted, and the answer says so in its {@code warnings}.
     */
    public void adviseOnInterval(@Body Instance stored, @ExchangeProperty(InstanceCall.PROPERTY) InstanceCall call) {
        CallBudget.Plan plan = plan(stored);
        if (plan.effectiveInterval().compareTo(plan.configuredInterval()) > 0) {
            call.warn("event.poller.refresh_interval: polled every " + plan.effectiveInterval().toSeconds()
                    + " s instead of every " + plan.configuredInterval().toSeconds() + " s, because " + plan.reason());
        }
    }

    private CallBudget.Plan plan(Instance instance) {
        Duration configured = instance.polling().refreshInterval();
        if (configured.compareTo(minInterval) < 0) {
            configured = minInterval;
        }
        return budget.plan(instance.secrets().accessToken(), instance.id(), configured,
                instance.polling().resources().size());
    }
}
