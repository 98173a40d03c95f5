package dev.egnytebridge.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import dev.egnytebridge.BridgeSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandbox mode ({@code bridge.sandbox.enabled=true}): starts the Egnyte simulator and the callback sink on loopback,
 * points the bridge at them, and binds {@code egnyteSimulator}, {@code callbackSink} and {@code sandboxDemo} (which the
 * {@code create-sandbox-demo} route calls). With the property off (the default) it does nothing at all.
 */
public final class SandboxBeans {

    /** The sandbox's Egnyte polls every 10 s at most; a real Egnyte asks for 5 minutes. */
    static final String SANDBOX_MIN_INTERVAL_SECONDS = "10";

    private static final Logger LOG = LoggerFactory.getLogger(SandboxBeans.class);

    private SandboxBeans() {
    }

    /** Called first thing in BridgeConfiguration, so the properties it overrides apply to every bean bound after it. */
    public static void bind(CamelContext context, BridgeSettings settings) {
        if (!settings.sandboxEnabled()) {
            return;
        }
        // the ports are bound now (the bridge needs the URLs), the servers start with the CamelContext: if the bridge
        // fails to configure or start, no server thread is left to keep the JVM alive
        EgnyteSimulator egnyte = new EgnyteSimulator(Clock.systemUTC(), settings.sandboxEgnytePort());
        CallbackSink sink = new CallbackSink(settings.sandboxSinkPort());
        Duration eventInterval = Duration.ofSeconds(settings.sandboxEventIntervalSeconds());
        SandboxDemo demo = new SandboxDemo(context, settings, egnyte, sink);
        runWithContext(context, () -> {
            egnyte.start().startGeneratingEvents(eventInterval);
            sink.start();
            demo.adoptExisting();
        }, () -> {
            egnyte.close();
            sink.close();
        });

        overrideProperties(context.getPropertiesComponent(), Map.of(
                "bridge.poller.min-interval-seconds", SANDBOX_MIN_INTERVAL_SECONDS,
                // the sink listens on 127.0.0.1
                "bridge.callbacks.allow-private-addresses", "true"));
        // always the simulator: sandbox mode must never reach a real Egnyte
        forceProperty(context.getPropertiesComponent(), "egnyte.base-url", egnyte.baseUrl());

        Registry registry = context.getRegistry();
        registry.bind("egnyteSimulator", egnyte);
        registry.bind("callbackSink", sink);
        registry.bind("sandboxDemo", demo);
        LOG.warn("SANDBOX MODE: Egnyte is simulated at {} and callbacks can go to the sink at {}; "
                + "never use this mode with real data", egnyte.baseUrl(), sink.baseUrl());
    }

    /** Starts the servers with the CamelContext and closes them when it stops. */
    private static void runWithContext(CamelContext context, Runnable start, Runnable stop) {
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStart() {
                    start.run();
                }

                @Override
                protected void doStop() {
                    stop.run();
                }
            });
        } catch (Exception e) {
            stop.run();
            throw new IllegalStateException("Cannot register the sandbox servers as a Camel service: " + e.getMessage(), e);
        }
    }

    /**
     * Adds sandbox defaults to the override properties (merged into them, never replacing them), except where the user
     * or an embedding host set the property explicitly: an override property, a -D system property or an environment
     * variable wins.
     */
    static void overrideProperties(PropertiesComponent properties, Map<String, String> defaults) {
        Properties existing = existingOverrides(properties);
        defaults.forEach((key, value) -> {
            if (!existing.containsKey(key) && System.getProperty(key) == null && System.getenv(envName(key)) == null) {
                properties.addOverrideProperty(key, value);
            }
        });
    }

    private static void forceProperty(PropertiesComponent properties, String key, String value) {
        properties.addOverrideProperty(key, value);
    }

    private static Properties existingOverrides(PropertiesComponent properties) {
        // the SPI can add override properties but not list them; Camel's own component can
        if (properties instanceof org.apache.camel.component.properties.PropertiesComponent camel
                && camel.getOverrideProperties() != null) {
            return camel.getOverrideProperties();
        }
        return new Properties();
    }

    /** Camel Main's environment variable for a property: upper case, dots and dashes as underscores. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
