package dev.egnytebridge.api;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;

/**
 * The methods the HTTP server answers a path with, read from its Vert.x routes (one per REST verb and path, as Camel's
 * platform-http adds them), for the {@code Allow} header of a 405. Vert.x knows them while it routes, but does not pass
 * them on from the router Camel's routes live in, so they are matched again here the way Vert.x matches a path:
 * {@code :name} is one segment, a route ending in {@code *} is a prefix, one trailing slash is ignored.
 */
final class AllowedMethods {

    /** A path parameter as Vert.x writes it ({@code /instances/:id}, from Camel's {@code /instances/{id}}). */
    private static final Pattern PARAMETER = Pattern.compile(":[A-Za-z0-9_]+");

    private AllowedMethods() {
    }

    /** The methods of the routes that serve {@code path}, HEAD with GET (the server answers HEAD like GET); sorted. */
    static Set<String> of(List<Route> routes, String path) {
        Set<String> methods = new TreeSet<>();
        for (Route route : routes) {
            // catch-all routes (no path, or no methods) say nothing about what a path allows
            if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            if (pattern(route).matcher(path).matches()) {
                route.methods().forEach(method -> methods.add(method.name()));
            }
        }
        if (methods.contains(HttpMethod.GET.name())) {
            methods.add(HttpMethod.HEAD.name());
        }
        return methods;
    }

    private static Pattern pattern(Route route) {
        String path = route.getPath();
        StringBuilder regex = new StringBuilder();
        Matcher parameter = PARAMETER.matcher(path);
        int literal = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(path.substring(literal, parameter.start()))).append("[^/]+");
            literal = parameter.end();
        }
        regex.append(Pattern.quote(path.substring(literal)));
        if (!route.isExactPath()) {
            regex.append(".*");
        } else if (!path.endsWith("/")) {
            regex.append("/?");
        }
        return Pattern.compile(regex.toString());
    }
}
