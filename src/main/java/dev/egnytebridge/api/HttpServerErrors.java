package dev.egnytebridge.api;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code httpServerErrors}: the answers the HTTP server gives itself, before or instead of a REST route, as the
 * same JSON {@code {"message": "..."}} the routes answer with (routes/api-errors.yaml): a path nothing serves (404), a
 * method the path is not served with (405, with {@code Allow}), a body over {@code camel.server.max-body-size} (413),
 * a request it cannot parse, such as headers over Vert.x's limit (431, 414, 400). HEAD is answered like GET, without
 * the body. A client's mistake is logged at DEBUG, never as an error of the bridge.
 */
public class HttpServerErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerErrors.class);

    private final ApiResponses responses;
    /** The routers already given the handlers: the startup callback runs twice, and a router must get them once. */
    private final Set<VertxPlatformHttpRouter> installed = Collections.newSetFromMap(new IdentityHashMap<>());

    public HttpServerErrors(ApiResponses responses) {
        this.responses = responses;
    }

    /**
     * Gives the REST server's router (camel.server.*, the one Camel's REST routes are in; not the management server's)
     * the handlers. Camel binds that router when the server starts, before the routes start.
     */
    public synchronized void installOnRestServer(CamelContext context) {
        Map<String, VertxPlatformHttpRouter> routers = context.getRegistry().findByTypeWithName(VertxPlatformHttpRouter.class);
        for (VertxPlatformHttpRouter router : routers.values()) {
            if (router.isMainServer() && installed.add(router)) {
                install(router);
            }
        }
    }

    /** Explicit orders: Camel adds its routes as they start, and these must stay first and last whatever came later. */
    void install(VertxPlatformHttpRouter router) {
        Long bodyLimit = router.getServer() == null ? null : router.getServer().getMaxBodySize();
        router.route().order(Integer.MIN_VALUE).handler(this::headAsGet);
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> failure(context, bodyLimit));
        router.route().order(Integer.MAX_VALUE).handler(context -> noRoute(context, router.getRoutes()));
        // a request line Vert.x cannot even match (a malformed escape in the path) fails in this router's matching
        router.errorHandler(400, context -> failure(context, bodyLimit));
        router.errorHandler(500, context -> failure(context, bodyLimit));
    }

    /** HEAD is GET without the body: routed as GET, and Vert.x leaves the body out for a HEAD request. */
    void headAsGet(RoutingContext context) {
        if (context.request().method() == HttpMethod.HEAD) {
            context.reroute(HttpMethod.GET, context.request().uri());
        } else {
            context.next();
        }
    }

    /** Reached when no route took the request: 405 if some route serves the path with another method, else 404. */
    void noRoute(RoutingContext context, List<Route> routes) {
        HttpMethod method = context.request().method();
        Set<String> allowed = AllowedMethods.of(routes, context.normalizedPath());
        if (allowed.isEmpty() || allowed.contains(method.name())) {
            LOG.debug("No route for {} {}: 404", method, context.normalizedPath());
            answer(context.response(), 404, "No such path");
            return;
        }
        String allow = String.join(", ", allowed);
        LOG.debug("{} {} is served with {} only: 405", method, context.normalizedPath(), allow);
        context.response().putHeader(HttpHeaders.ALLOW, allow);
        answer(context.response(), 405, "Method " + method.name() + " is not allowed here; allowed: " + allow);
    }

    /** A failure in Vert.x (the body handler's limit) rather than in a route, which api-errors would have answered. */
    void failure(RoutingContext context, Long bodyLimit) {
        if (context.response().ended()) {
            return;
        }
        int status = context.statusCode() == -1 ? 500 : context.statusCode();
        if (status == 413) {
            // the client's mistake, and a client can repeat it at will: never an error line in the bridge's log
            LOG.debug("Refused a request body over the limit of {} bytes: 413", bodyLimit);
            answer(context.response(), 413, bodyLimit == null ? "The request body is too large"
                    : "The request body is over the limit of " + bodyLimit + " bytes");
        } else if (status >= 500) {
            String reference = UUID.randomUUID().toString();
            LOG.error("Internal error {} in the HTTP server", reference, context.failure());
            answer(context.response(), status,
                    "Internal error; the service log has the details under reference " + reference);
        } else {
            LOG.debug("HTTP server refused a request: {}", status, context.failure());
            answer(context.response(), status, reason(status));
        }
    }

    /**
     * A request Vert.x could not parse (it never reaches a router): Vert.x's own statuses, as JSON. The connection is
     * closed afterwards, as Vert.x does, since what follows on it cannot be trusted to start a new request.
     */
    public void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = cause instanceof TooLongHttpHeaderException ? 431
                : cause instanceof TooLongHttpLineException ? 414
                : 400;
        LOG.debug("HTTP server could not parse a request: {}", status, cause);
        String message = switch (status) {
            case 431 -> "The request headers are too large";
            case 414 -> "The request line is too long";
            default -> "The request is not valid HTTP";
        };
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.CONNECTION, "close");
        answer(response, status, message);
        response.close();
    }

    private void answer(HttpServerResponse response, int status, String message) {
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(responses.json(ApiErrors.body(message, null)));
    }

    private static String reason(int status) {
        return HttpResponseStatus.valueOf(status).reasonPhrase();
    }
}
