package dev.egnytebridge.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;

/**
 * The Vert.x instance Camel's HTTP servers run on (camel-platform-http-vertx takes the {@link Vertx} it finds in the
 * registry; {@link StandaloneHttpServerConfiguration} binds it): every HTTP server it creates answers a request it
 * cannot parse (headers over the size limit, a line too long) with {@code invalidRequests}. That handler must be set
 * before the server listens, and Camel creates and starts its server in one step, so this is the one place to set it.
 * {@link VertxWrapper} is how Vert.x 4 asks for a {@code Vertx} to be implemented; Camel closes the instance when its
 * server stops.
 * <p>
 * The servers speak HTTP/1.1 only (no clear-text HTTP/2 upgrade, which Java's HttpClient asks for by default): Vert.x
 * 4's HTTP/2 answers a HEAD with the body and oversized headers with a connection reset instead of a 431, so over
 * HTTP/2 the answers above would depend on the client.
 */
final class HttpServerVertx extends VertxWrapper {

    private final Handler<HttpServerRequest> invalidRequests;

    HttpServerVertx(Vertx vertx, Handler<HttpServerRequest> invalidRequests) {
        super((VertxInternal) vertx);
        this.invalidRequests = invalidRequests;
    }

    @Override
    public HttpServer createHttpServer(HttpServerOptions options) {
        HttpServerOptions http11 = new HttpServerOptions(options).setHttp2ClearTextEnabled(false);
        return super.createHttpServer(http11).invalidRequestHandler(invalidRequests);
    }

    @Override
    public HttpServer createHttpServer() {
        return createHttpServer(new HttpServerOptions());
    }
}
