package dev.egnytebridge;

import java.io.IOException;
import java.nio.file.Files;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.egnytebridge.cluster.ClusterNode;
import dev.egnytebridge.customize.CustomizeBeans;
import dev.egnytebridge.delivery.DeliveryBeans;
import dev.egnytebridge.instance.InstanceBeans;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.observe.ObserveBeans;
import dev.egnytebridge.poller.PollerBeans;
import dev.egnytebridge.sandbox.SandboxBeans;
import dev.egnytebridge.security.SecretCipher;
import dev.egnytebridge.security.SecurityBeans;
import dev.egnytebridge.store.Database;
import dev.egnytebridge.ui.UiBeans;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Binds the beans the routes call by name. Camel Main runs it before loading the routes; an embedding host uses
 * {@link BridgeEmbedding#embed(CamelContext, DataSource)} instead, which binds the same beans on the host's DataSource.
 */
public class BridgeConfiguration implements CamelConfiguration {

    /** The packaged defaults, overridden by an application.properties in the working directory. */
    public static final String PROPERTY_LOCATIONS =
            "classpath:application.properties;optional=true,file:application.properties;optional=true";

    @Override
    public void configure(CamelContext context) throws Exception {
        BridgeSettings settings = BridgeSettings.of(context);
        SandboxBeans.bind(context, settings);
        createDataDir(settings);
        // standalone: the bridge owns its pool (bridge.datasource.*) and closes it with the context
        HikariDataSource dataSource = Database.open(settings);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.close();
            }
        });
        bindBeans(context, settings, dataSource);
    }

    /**
     * Binds every bean the routes call on the given DataSource, whose schema is up to date. Camel Main
     * ({@link #configure(CamelContext)}) and an embedding host ({@link BridgeEmbedding}) both come through here; only
     * where the DataSource comes from differs.
     */
    static void bindBeans(CamelContext context, BridgeSettings settings, DataSource dataSource) throws Exception {
        createDataDir(settings);
        Registry registry = context.getRegistry();
        DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        registry.bind("bridgeSettings", settings);
        registry.bind("bridgeDataSource", dataSource);
        registry.bind("transactionManager", transactionManager);
        // the policy the routes name in `transacted`: one database transaction for the rest of the route
        registry.bind("requiredTx", new SpringTransactionPolicy(transactionManager));
        registry.bind("jdbcTemplate", jdbc);

        ObjectMapper mapper = new ObjectMapper();
        registry.bind("bridgeObjectMapper", mapper);
        SecretCipher cipher = SecurityBeans.bind(context, settings);
        InstanceStore instances = new InstanceStore(jdbc, cipher, mapper);
        registry.bind("instanceStore", instances);
        ObserveBeans.bind(context, settings, jdbc);
        InstanceBeans.bind(registry, settings);
        PollerBeans.bind(context, settings, ClusterNode.of(settings, dataSource), dataSource, transactionManager, jdbc,
                mapper, instances);
        DeliveryBeans.bind(context, settings, jdbc, mapper, transactionManager);
        UiBeans.bind(registry);
        CustomizeBeans.bind(registry, mapper);
    }

    private static void createDataDir(BridgeSettings settings) throws IOException {
        Files.createDirectories(settings.dataDir());
    }
}
