package dev.egnytebridge.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a {@code POST} or {@code PUT /pubapi/v1/webhooks} body asks for, read and checked the way Egnyte does: an https
 * {@code url} is required (plain http is accepted to a loopback host only, since the simulator serves tests and the
 * sandbox there); {@code eventType} is an array of strings (omitted: all types); {@code path} is up to 100
 * comma-separated folders (omitted: the whole domain). Anything else wrong is an {@link Invalid} (400).
 *
 * @param url             where to push
 * @param eventTypes      the event types asked for; empty = all
 * @param paths           the folders asked for, normalized; empty = the whole domain
 * @param authHeader      the {@code authHeader} field, or null
 * @param authHeaderValue the {@code authHeaderValue} field, or null
 */
record WebhookRequest(String url, List<String> eventTypes, List<String> paths, String authHeader,
                      String authHeaderValue) {

    static final int MAX_PATHS = 100;
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    /** A body Egnyte would answer 400; the message is the errorMessage. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static WebhookRequest parse(ObjectMapper json, String body) throws Invalid {
        JsonNode node = readObject(json, body);
        String url = node.path("url").asText("").trim();
        String urlProblem = urlProblem(url);
        if (urlProblem != null) {
            throw new Invalid(urlProblem);
        }
        List<String> paths = new ArrayList<>();
        for (String p : strings(node.get("path"), "path")) {
            paths.add(normalize(p));
        }
        if (paths.size() > MAX_PATHS) {
            throw new Invalid("path lists " + paths.size() + " folders; at most " + MAX_PATHS + " are allowed");
        }
        return new WebhookRequest(url, strings(node.get("eventType"), "eventType"), List.copyOf(paths),
                textOrNull(node, "authHeader"), textOrNull(node, "authHeaderValue"));
    }

    static String status(ObjectMapper json, String body) throws Invalid {
        String status = readObject(json, body).path("status").asText("");
        if (!status.equals(SimulatedWebhook.ENABLED) && !status.equals(SimulatedWebhook.DISABLED)) {
            throw new Invalid("status must be enabled or disabled");
        }
        return status;
    }

    private static JsonNode readObject(ObjectMapper json, String body) throws Invalid {
        try {
            JsonNode node = json.readTree(body == null ? "" : body);
            if (node == null || !node.isObject()) {
                throw new Invalid("The body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new Invalid("The body is not valid JSON");
        }
    }

    /** Null when the URL is acceptable: https, or http to a loopback host. */
    static String urlProblem(String url) {
        if (url.isEmpty()) {
            return "url is required";
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost();
            if (host == null || host.isEmpty()) {
                return "url must be an absolute https URL";
            }
            if (scheme.equals("https") || scheme.equals("http") && LOOPBACK_HOSTS.contains(host.toLowerCase(Locale.ROOT))) {
                return null;
            }
            return "url must use https";
        } catch (URISyntaxException e) {
            return "url is not a valid URL";
        }
    }

    /** An array of strings or one comma-separated string; blank entries are ignored; absent is empty. */
    private static List<String> strings(JsonNode node, String field) throws Invalid {
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (node.isTextual()) {
            for (String s : node.asText().split(",")) {
                if (!s.isBlank()) {
                    values.add(s.trim());
                }
            }
            return values;
        }
        if (!node.isArray()) {
            throw new Invalid(field + " must be an array of strings or a comma-separated string");
        }
        for (JsonNode e : node) {
            if (!e.isTextual()) {
                throw new Invalid(field + " must contain strings only");
            }
            if (!e.asText().isBlank()) {
                values.add(e.asText().trim());
            }
        }
        return values;
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static String normalize(String path) {
        String p = path.trim();
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
