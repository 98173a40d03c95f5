package dev.egnytebridge;

import java.io.IOException;
import java.nio.file.Files;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.egnytebridge.delivery.DeliveryBeans;
import dev.egnytebridge.instance.InstanceBeans;
import dev.egnytebridge.instance.InstanceStore;
import dev.egnytebridge.poller.PollerBeans;
import dev.egnytebridge.security.SecretCipher;
import dev.egnytebridge.security.SecurityBeans;
import dev.egnytebridge.store.Database;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Binds the beans the routes call by name. Camel Main runs it before loading the routes; an embedding host calls
 * {@link #configure(CamelContext)} on its own CamelContext.
 */
public class BridgeConfiguration implements CamelConfiguration {

    /** The packaged defaults, overridden by an application.properties in the working directory. */
    public static final String PROPERTY_LOCATIONS =
            "classpath:application.properties;optional=true,file:application.properties;optional=true";

    @Override
    public void configure(CamelContext context) throws Exception {
        BridgeSettings settings = BridgeSettings.of(context);
        createDataDir(settings);
        Registry registry = context.getRegistry();

        HikariDataSource dataSource = Database.open(settings);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.close();
            }
        });
        DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        registry.bind("bridgeSettings", settings);
        registry.bind("bridgeDataSource", dataSource);
        registry.bind("transactionManager", transactionManager);
        // the policy the routes name in `transacted`: one database transaction for the rest of the route
        registry.bind("requiredTx", new SpringTransactionPolicy(transactionManager));
        registry.bind("jdbcTemplate", jdbc);
        dev.egnytebridge.cluster.ClusterBeans.bind(context, settings, dataSource);

        ObjectMapper mapper = new ObjectMapper();
        registry.bind("bridgeObjectMapper", mapper);
        SecretCipher cipher = SecurityBeans.bind(context, settings);
        InstanceStore instances = new InstanceStore(jdbc, cipher, mapper);
        registry.bind("instanceStore", instances);
        InstanceBeans.bind(registry, settings);
        PollerBeans.bind(context, settings, dataSource, transactionManager, jdbc, instances);
        DeliveryBeans.bind(context, settings, jdbc, mapper);
        dev.egnytebridge.ui.UiBeans.bind(registry);
    }

    private static void createDataDir(BridgeSettings settings) throws IOException {
        Files.createDirectories(settings.dataDir());
    }
}
