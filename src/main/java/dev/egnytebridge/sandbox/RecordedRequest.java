package dev.egnytebridge.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request a sandbox server received, kept so tests can check what the bridge sent.
 *
 * @param method     the HTTP method
 * @param path       the decoded path, without the query
 * @param query      the raw (still URL-encoded) query string, or "" when none
 * @param headers    the request headers; look them up with {@link #header(String)}, which ignores case
 * @param body       the request body as UTF-8 text ("" when none)
 * @param receivedAt when the request arrived
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              String body, Instant receivedAt) {

    /** The first value of a header, ignoring the case of its name, or null when absent. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    /** The decoded value of a query parameter, or null when absent. */
    public String queryParam(String name) {
        return SandboxHttp.parseForm(query).get(name);
    }
}
