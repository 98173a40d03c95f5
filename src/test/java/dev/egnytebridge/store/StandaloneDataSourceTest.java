package dev.egnytebridge.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.config.SharedConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.DefaultCamelBeanPostProcessor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bridge's own connection pool lives exactly as long as its CamelContext. */
class StandaloneDataSourceTest {

    @Test
    void thePoolMadeWhileTheRoutesAreBuiltClosesWhenTheContextStops() throws Exception {
        Path dataDir = Files.createTempDirectory("bridge-pool");
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:application.properties");
        Properties overrides = new Properties();
        overrides.setProperty("bridge.data-dir", dataDir.toString());
        overrides.setProperty("bridge.datasource.url", "jdbc:h2:file:" + dataDir.resolve("bridge"));
        overrides.setProperty("bridge.security.encryption-key", BridgeTestSupport.ENCRYPTION_KEY);
        context.getPropertiesComponent().setOverrideProperties(overrides);
        DefaultCamelBeanPostProcessor beans = new DefaultCamelBeanPostProcessor(context);
        for (Object configuration : new Object[] {new SharedConfiguration(), new StandaloneDataSourceConfiguration()}) {
            beans.postProcessBeforeInitialization(configuration, configuration.getClass().getName());
            beans.postProcessAfterInitialization(configuration, configuration.getClass().getName());
        }

        // as under Camel Main: a route's bean asks for the pool before the context has started
        HikariDataSource pool = (HikariDataSource) context.getRegistry().lookupByName("bridgeDataSource");
        context.start();
        assertThat(pool.isClosed()).isFalse();

        context.stop();

        assertThat(pool.isClosed()).as("a pool left open holds its connections until the JVM exits").isTrue();
    }
}
