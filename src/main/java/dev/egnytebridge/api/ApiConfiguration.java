package dev.egnytebridge.api;

import io.vertx.core.Vertx;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * Binds the HTTP server's own answers: {@code httpServerErrors}, and {@code httpServerVertx}, the Vert.x instance
 * camel-platform-http-vertx finds in the registry and runs its servers on. {@code apiResponses} comes from the
 * instance package's configuration.
 */
public class ApiConfiguration implements CamelConfiguration {

    @BindToRegistry(value = "httpServerErrors", lazy = true)
    public HttpServerErrors httpServerErrors(@BeanInject("apiResponses") ApiResponses responses) {
        return new HttpServerErrors(responses);
    }

    @BindToRegistry(value = "httpServerVertx", lazy = true)
    public Vertx httpServerVertx(@BeanInject("httpServerErrors") HttpServerErrors errors) {
        return new HttpServerVertx(Vertx.vertx(), errors::invalidRequest);
    }

    /**
     * Camel binds the REST server's router when the server starts, which is before the routes start (the first of the
     * two "started" callbacks): the handlers are in place before the first REST route can take a request.
     */
    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener((started, alreadyStarted) ->
                started.getRegistry().lookupByNameAndType("httpServerErrors", HttpServerErrors.class)
                        .installOnRestServer(started));
    }
}
