package dev.egnytebridge.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/**
 * Binds the HTTP server's own answers, {@code httpServerErrors}, and gives them to Camel Main's REST server when it
 * starts (a host's own server is left alone). {@code apiResponses} comes from the instance package's configuration;
 * the Vert.x instance that answers unparsable requests, from {@link StandaloneHttpServerConfiguration}.
 */
public class ApiConfiguration implements CamelConfiguration {

    /** {@code GET /openapi.json}: the hand-written document (why hand-written: {@link OpenApiDocument}). */
    @BindToRegistry(value = "openApiDocument", lazy = true)
    public OpenApiDocument openApiDocument(@PropertyInject("bridge.public-base-url") String publicBaseUrl) {
        return new OpenApiDocument(new ObjectMapper(), ApiConfiguration.class.getClassLoader(), "openapi/openapi.json",
                publicBaseUrl == null || publicBaseUrl.isBlank() ? null : publicBaseUrl.trim());
    }

    @BindToRegistry(value = "httpServerErrors", lazy = true)
    public HttpServerErrors httpServerErrors(@BeanInject("apiResponses") ApiResponses responses) {
        return new HttpServerErrors(responses);
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
