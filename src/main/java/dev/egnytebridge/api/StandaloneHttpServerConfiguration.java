package dev.egnytebridge.api;

import io.vertx.core.Vertx;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/**
 * Standalone only (Camel Main's own HTTP servers): binds {@code httpServerVertx}, the Vert.x instance
 * camel-platform-http-vertx finds in the registry and runs its servers on. Not for an embedding host: a second
 * {@code Vertx} beside the host's would leave Camel with no single one to pick, and the host's server is its own.
 */
public class StandaloneHttpServerConfiguration implements CamelConfiguration {

    @BindToRegistry(value = "httpServerVertx", lazy = true)
    public Vertx httpServerVertx(@BeanInject("httpServerErrors") HttpServerErrors errors) {
        return new HttpServerVertx(Vertx.vertx(QuietVertx.options()), errors::invalidRequest);
    }
}
