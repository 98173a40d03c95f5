package dev.egnytebridge.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Binds the beans every capability shares: {@code bridgeSettings} and {@code bridgeObjectMapper}.
 * <p>
 * Like every configuration class of the bridge, its beans are lazy: a factory method runs when the bean is first looked
 * up (by a route, or by another factory's {@code @BeanInject}), so neither the methods nor the classes have an order to
 * get right.
 */
public class SharedConfiguration implements CamelConfiguration {

    /** The settings; makes the data folder (bridge.data-dir) first, which the database and the secrets go into. */
    @BindToRegistry(value = "bridgeSettings", lazy = true)
    public BridgeSettings bridgeSettings(CamelContext context) {
        BridgeSettings settings = BridgeSettings.of(context);
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data folder bridge.data-dir=" + settings.dataDir(), e);
        }
        return settings;
    }

    @BindToRegistry(value = "bridgeObjectMapper", lazy = true)
    public ObjectMapper bridgeObjectMapper() {
        return new ObjectMapper();
    }
}
