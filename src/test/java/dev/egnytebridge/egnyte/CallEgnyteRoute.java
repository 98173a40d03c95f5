package dev.egnytebridge.egnyte;

import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.config.BridgeSettings;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Route call-egnyte (routes/call-egnyte.yaml) alone in a CamelContext of its own, with the beans it calls, for tests
 * of Egnyte's client without a whole bridge.
 */
final class CallEgnyteRoute implements AutoCloseable {

    final DefaultCamelContext context = new DefaultCamelContext();
    final BridgeSettings settings;
    /** Instances a test has deleted: their requests must not reach Egnyte. */
    final Set<Long> deleted = ConcurrentHashMap.newKeySet();

    /** {@code new CallEgnyteRoute("egnyte.base-url", url, ...)}: property keys and values in turn. */
    CallEgnyteRoute(String... keyValues) throws Exception {
        Properties p = new Properties();
        p.setProperty("egnyte.http.timeout-ms", "5000");
        p.setProperty("egnyte.rate-limit.qps", "2");
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        context.getPropertiesComponent().setOverrideProperties(p);
        settings = BridgeSettings.of(context);
        EgnyteRateLimiter limiter = new EgnyteRateLimiter(settings.egnyteRateLimitQps());
        context.getRegistry().bind("egnyteRateLimiter", limiter);
        context.getRegistry().bind("egnyteHttp", new EgnyteHttp(settings, limiter, id -> !deleted.contains(id)));
        // no daily budget here (it counts nothing and needs no database): DailyCallBudgetTest tests it
        context.getRegistry().bind("callBudget", new dev.egnytebridge.budget.CallBudget(null, 0, java.time.Clock.systemUTC()));
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "file:routes/call-egnyte.yaml"));
        context.start();
    }

    /** The OAuth client, bound in this context as the bridge binds it. */
    EgnyteOAuth oauth() {
        EgnyteOAuth oauth = new EgnyteOAuth(settings, new ObjectMapper());
        context.getRegistry().bind("egnyteOAuth", oauth);
        return oauth;
    }

    @Override
    public void close() {
        context.stop();
    }
}
