package dev.egnytebridge;

import java.util.ArrayList;
import java.util.List;

import dev.egnytebridge.api.ApiConfiguration;
import dev.egnytebridge.api.StandaloneHttpServerConfiguration;
import dev.egnytebridge.budget.BudgetConfiguration;
import dev.egnytebridge.cluster.ClusterConfiguration;
import dev.egnytebridge.config.SharedConfiguration;
import dev.egnytebridge.customize.CustomizeConfiguration;
import dev.egnytebridge.delivery.DeliveryConfiguration;
import dev.egnytebridge.gaps.GapsConfiguration;
import dev.egnytebridge.hubs.HubsConfiguration;
import dev.egnytebridge.instance.InstanceConfiguration;
import dev.egnytebridge.observe.ObserveConfiguration;
import dev.egnytebridge.poller.PollerConfiguration;
import dev.egnytebridge.push.PushConfiguration;
import dev.egnytebridge.sandbox.SandboxConfiguration;
import dev.egnytebridge.security.SecurityConfiguration;
import dev.egnytebridge.store.StandaloneDataSourceConfiguration;
import dev.egnytebridge.store.StoreConfiguration;
import dev.egnytebridge.ui.UiConfiguration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.engine.DefaultCamelBeanPostProcessor;
import org.apache.camel.main.MainConfigurationProperties;

/**
 * The bridge's configuration classes, one per capability package, each binding its beans with {@code @BindToRegistry}
 * factory methods. The beans are lazy and get what they need by {@code @BeanInject}, so the list has no order to get
 * right. Camel Main runs them ({@link #addTo}); an embedding host goes through {@link BridgeEmbedding}, which binds the
 * same classes with the host's DataSource in place of the bridge's own pool.
 */
public final class BridgeConfiguration {

    /** The packaged defaults, overridden by an application.properties in the working directory. */
    public static final String PROPERTY_LOCATIONS =
            "classpath:application.properties;optional=true,file:application.properties;optional=true";

    /** Every capability's configuration; the DataSource ({@code bridgeDataSource}) comes on top. */
    public static final List<Class<? extends CamelConfiguration>> CAPABILITIES = List.of(
            SharedConfiguration.class,
            StoreConfiguration.class,
            ClusterConfiguration.class,
            SecurityConfiguration.class,
            InstanceConfiguration.class,
            ApiConfiguration.class,
            ObserveConfiguration.class,
            PollerConfiguration.class,
            BudgetConfiguration.class,
            HubsConfiguration.class,
            GapsConfiguration.class,
            PushConfiguration.class,
            DeliveryConfiguration.class,
            UiConfiguration.class,
            CustomizeConfiguration.class,
            SandboxConfiguration.class);

    private BridgeConfiguration() {
    }

    /**
     * Standalone on Camel Main: every capability, on the bridge's own connection pool (bridge.datasource.*), with
     * Camel Main's HTTP servers on the bridge's Vert.x instance.
     */
    public static MainConfigurationProperties addTo(MainConfigurationProperties main) {
        main.addConfiguration(StandaloneDataSourceConfiguration.class);
        main.addConfiguration(StandaloneHttpServerConfiguration.class);
        CAPABILITIES.forEach(main::addConfiguration);
        return main;
    }

    /**
     * What Camel Main does with configuration classes, for a context without Camel Main: binds every class's
     * {@code @BindToRegistry} beans, then calls each one's {@code configure}. Camel's own bean post-processor does the
     * binding, whatever the host's is (Spring's, for one, leaves {@code @BindToRegistry} to Spring).
     */
    static void bind(CamelContext context, CamelConfiguration dataSource) throws Exception {
        bind(context, dataSource, CAPABILITIES);
    }

    static void bind(CamelContext context, CamelConfiguration dataSource,
                     List<Class<? extends CamelConfiguration>> capabilities) throws Exception {
        List<CamelConfiguration> configurations = new ArrayList<>();
        configurations.add(dataSource);
        for (Class<? extends CamelConfiguration> type : capabilities) {
            configurations.add(context.getInjector().newInstance(type));
        }
        DefaultCamelBeanPostProcessor beans = new DefaultCamelBeanPostProcessor(context);
        for (CamelConfiguration configuration : configurations) {
            String name = configuration.getClass().getName();
            beans.postProcessBeforeInitialization(configuration, name);
            beans.postProcessAfterInitialization(configuration, name);
        }
        for (CamelConfiguration configuration : configurations) {
            configuration.configure(context);
        }
    }
}
