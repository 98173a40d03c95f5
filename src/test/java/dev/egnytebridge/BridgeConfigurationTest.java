package dev.egnytebridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import dev.egnytebridge.store.Database;
import dev.egnytebridge.store.HostDataSourceConfiguration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration classes have no order to get right: bound in reverse, every bean a route names by {@code ref:},
 * {@code #name}, {@code idempotentRepository} or {@code aggregationStrategy} is there and can be made.
 */
class BridgeConfigurationTest {

    private static final Pattern BEAN_NAME = Pattern.compile(
            "(?:ref:\\s*|\"#|(?:idempotentRepository|aggregationStrategy):\\s*)([A-Za-z]+)");

    @Test
    void everyBeanTheRoutesNameIsBoundWhateverTheOrderOfTheConfigurationClasses() throws Exception {
        List<Class<? extends CamelConfiguration>> reversed = new ArrayList<>(BridgeConfiguration.CAPABILITIES);
        Collections.reverse(reversed);
        Path dataDir = Files.createTempDirectory("bridge-wiring");
        try (HikariDataSource dataSource = new HikariDataSource();
             DefaultCamelContext context = new DefaultCamelContext()) {
            dataSource.setJdbcUrl("jdbc:h2:mem:wiring-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            dataSource.setUsername("sa");
            context.getPropertiesComponent().setLocation("file:application.properties");
            Properties overrides = new Properties();
            overrides.setProperty("bridge.data-dir", dataDir.toString());
            overrides.setProperty("bridge.security.organization-secret", BridgeTestSupport.ORG_SECRET);
            overrides.setProperty("bridge.security.users", "alice=" + BridgeTestSupport.ALICE_SECRET);
            overrides.setProperty("bridge.security.encryption-key", BridgeTestSupport.ENCRYPTION_KEY);
            context.getPropertiesComponent().setOverrideProperties(overrides);
            Database.migrate(dataSource);

            BridgeConfiguration.bind(context, new HostDataSourceConfiguration(dataSource), reversed);

            TreeSet<String> missing = new TreeSet<>();
            for (String name : beansTheRoutesName()) {
                if (context.getRegistry().lookupByName(name) == null) {
                    missing.add(name);
                }
            }
            assertThat(missing).isEmpty();
        }
    }

    private static TreeSet<String> beansTheRoutesName() throws Exception {
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.toList()) {
                Matcher name = BEAN_NAME.matcher(Files.readString(route));
                while (name.find()) {
                    names.add(name.group(1));
                }
            }
        }
        // one of each way of naming a bean, so a change of syntax cannot empty this list unnoticed
        assertThat(names).contains("outbox", "newObjects", "deliveryWakeup", "requiredTx");
        return names;
    }
}
