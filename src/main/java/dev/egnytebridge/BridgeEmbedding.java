package dev.egnytebridge;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import dev.egnytebridge.store.Database;
import dev.egnytebridge.store.HostDataSourceConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * Adds the bridge to a CamelContext that is not Camel Main (a Spring Boot, Karaf or plain Camel host): the same beans
 * as standalone ({@link BridgeConfiguration}), on the host's DataSource, and the routes packed in the jar
 * ({@code classpath:routes/*.yaml}). Call it before the context starts, after the host has set its properties:
 * the bridge's defaults ({@value #DEFAULTS}) only fill in {@code bridge.*} and {@code egnyte.*} keys the host left unset.
 * <p>
 * The REST API is a set of REST DSL routes and needs an HTTP server behind the {@code platform-http} component
 * (camel-platform-http-vertx's {@code VertxPlatformHttpServer}, or the host's own, as in Camel Spring Boot). A host
 * without one calls {@link #embed(CamelContext, DataSource)}, which leaves the REST API out, and manages instances
 * through the {@code instanceStore} and {@code pollerScheduler} beans.
 */
public final class BridgeEmbedding {

    /** The bridge's application.properties, packed in the jar under its own name so a host's file cannot shadow it. */
    public static final String DEFAULTS = "classpath:dev/egnytebridge/application.properties";
    public static final String ROUTES = "classpath:routes/*.yaml";
    /** A route file that declares REST endpoints (`- rest:` at the top level). */
    private static final Pattern DECLARES_REST = Pattern.compile("(?m)^-\\s+rest:");

    private BridgeEmbedding() {
    }

    /** The bridge without its REST API: polling, delivery and retention, for a host without an HTTP server. */
    public static void embed(CamelContext context, DataSource dataSource) throws Exception {
        embed(context, dataSource, false);
    }

    /** The whole bridge, REST API included: the host must serve {@code platform-http}. */
    public static void embedWithRestApi(CamelContext context, DataSource dataSource) throws Exception {
        embed(context, dataSource, true);
    }

    private static void embed(CamelContext context, DataSource dataSource, boolean withRestApi) throws Exception {
        if (context.isStarted()) {
            throw new IllegalStateException("Embed the bridge before the CamelContext starts");
        }
        addDefaults(context);
        Database.migrate(dataSource);
        // the same configuration classes as standalone, with the host's DataSource as bridgeDataSource
        BridgeConfiguration.bind(context, new HostDataSourceConfiguration(dataSource));
        PluginHelper.getRoutesLoader(context).loadRoutes(routeResources(context, withRestApi));
    }

    /** The packed route files, without those declaring REST endpoints unless {@code withRestApi}. */
    static List<Resource> routeResources(CamelContext context, boolean withRestApi) throws Exception {
        Collection<Resource> found = PluginHelper.getPackageScanResourceResolver(context).findResources(ROUTES);
        if (found.isEmpty()) {
            throw new IllegalStateException("No bridge routes found at " + ROUTES + ": is the bridge's jar on the classpath?");
        }
        List<Resource> routes = new ArrayList<>();
        for (Resource resource : found) {
            if (withRestApi || !declaresRest(resource)) {
                routes.add(resource);
            }
        }
        return routes;
    }

    private static boolean declaresRest(Resource resource) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            return DECLARES_REST.matcher(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).find();
        }
    }

    /** The bridge's defaults as initial (lowest priority) properties, for the keys the host has not set. */
    private static void addDefaults(CamelContext context) throws IOException {
        Properties defaults = new Properties();
        Resource packed = PluginHelper.getResourceLoader(context).resolveResource(DEFAULTS);
        if (packed == null || !packed.exists()) {
            throw new IllegalStateException("The bridge's defaults are missing at " + DEFAULTS + ": is the bridge's jar on the classpath?");
        }
        try (InputStream in = packed.getInputStream()) {
            defaults.load(in);
        }
        PropertiesComponent properties = context.getPropertiesComponent();
        for (String key : defaults.stringPropertyNames()) {
            boolean bridgeKey = key.startsWith("bridge.") || key.startsWith("egnyte.");
            if (bridgeKey && properties.resolveProperty(key).isEmpty()) {
                properties.addInitialProperty(key, defaults.getProperty(key));
            }
        }
    }
}
