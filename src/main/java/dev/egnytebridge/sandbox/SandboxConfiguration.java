package dev.egnytebridge.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import dev.egnytebridge.config.BridgeSettings;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandbox mode ({@code bridge.sandbox.enabled=true}): binds {@code egnyteSimulator}, {@code callbackSink} and
 * {@code sandboxDemo} (which the {@code create-sandbox-demo} route calls), points the bridge at them, and starts them
 * with the context. With the property off (the default) it binds nothing and changes nothing.
 * <p>
 * Unlike the bridge's other beans, the simulator and the sink are made eagerly, while Camel binds the beans: the
 * properties the sandbox overrides (egnyte.base-url, ...) are then set before any other bean, all of them lazy, is
 * made and reads them.
 */
public class SandboxConfiguration implements CamelConfiguration {

    /** The sandbox's Egnyte polls every 10 s at most; a real Egnyte asks for 5 minutes. */
    static final String SANDBOX_MIN_INTERVAL_SECONDS = "10";

    private static final Logger LOG = LoggerFactory.getLogger(SandboxConfiguration.class);

    /**
     * The simulator, its port bound now (the bridge needs its URL); it starts with the context, so a bridge that fails
     * to configure or start leaves no server thread to keep the JVM alive.
     */
    @BindToRegistry("egnyteSimulator")
    public EgnyteSimulator egnyteSimulator(CamelContext context,
                                           @PropertyInject("bridge.sandbox.enabled") boolean enabled,
                                           @PropertyInject("bridge.sandbox.egnyte-port") int port) {
        if (!enabled) {
            return null;
        }
        EgnyteSimulator egnyte = new EgnyteSimulator(Clock.systemUTC(), port);
        overrideProperties(context.getPropertiesComponent(), Map.of(
                "bridge.poller.min-interval-seconds", SANDBOX_MIN_INTERVAL_SECONDS,
                // the simulator keeps no daily quota, and the demo polls every few seconds
                "egnyte.rate-limit.calls-per-day", "0",
                // the sink listens on 127.0.0.1
                "bridge.callbacks.allow-private-addresses", "true",
                // the simulator's webhooks push to this bridge on loopback (the demo instance uses webhooks mode)
                "bridge.public-base-url", "http://127.0.0.1:" + context.getPropertiesComponent()
                        .resolveProperty("camel.server.port").orElse("8080")));
        // always the simulator: sandbox mode must never reach a real Egnyte
        context.getPropertiesComponent().addOverrideProperty("egnyte.base-url", egnyte.baseUrl());
        return egnyte;
    }

    @BindToRegistry("callbackSink")
    public CallbackSink callbackSink(@PropertyInject("bridge.sandbox.enabled") boolean enabled,
                                     @PropertyInject("bridge.sandbox.sink-port") int port) {
        return enabled ? new CallbackSink(port) : null;
    }

    /**
     * Binds the demo, which needs both servers, once they are bound, and starts the servers with the context (closing
     * them when it stops).
     */
    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        EgnyteSimulator egnyte = registry.lookupByNameAndType("egnyteSimulator", EgnyteSimulator.class);
        CallbackSink sink = registry.lookupByNameAndType("callbackSink", CallbackSink.class);
        if (egnyte == null || sink == null) {
            return;
        }
        BridgeSettings settings = BridgeSettings.of(context);
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
