package dev.egnytebridge.budget;

import java.time.Clock;
import java.time.Duration;

import dev.egnytebridge.config.BridgeSettings;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Binds {@code callBudget} (route call-egnyte counts, the poll schedule asks) and {@code budgetApi}. */
public class BudgetConfiguration implements CamelConfiguration {

    @BindToRegistry(value = "callBudget", lazy = true)
    public CallBudget callBudget(@BeanInject("jdbcTemplate") JdbcTemplate jdbc,
                                 @BeanInject("bridgeSettings") BridgeSettings settings) {
        return new CallBudget(jdbc, settings.egnyteCallsPerDay(), Clock.systemUTC());
    }

    @BindToRegistry(value = "budgetApi", lazy = true)
    public BudgetApi budgetApi(@BeanInject("callBudget") CallBudget budget,
                               @BeanInject("instanceStore") InstanceStore instances,
                               @BeanInject("bridgeSettings") BridgeSettings settings) {
        return new BudgetApi(budget, instances, Duration.ofSeconds(settings.pollerMinIntervalSeconds()));
    }
}
