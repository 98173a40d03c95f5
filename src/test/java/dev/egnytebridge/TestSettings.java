package dev.egnytebridge;

import java.util.Properties;

import dev.egnytebridge.config.BridgeSettings;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * BridgeSettings of a bare CamelContext, for tests of one bean: application.properties (the one home of the defaults)
 * with the given properties set on top.
 */
public final class TestSettings {

    private TestSettings() {
    }

    /** {@code of("bridge.cluster.enabled", "true", ...)}: keys and values in turn. */
    public static BridgeSettings of(String... keyValues) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:application.properties");
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        context.getPropertiesComponent().setOverrideProperties(p);
        return BridgeSettings.of(context);
    }
}
