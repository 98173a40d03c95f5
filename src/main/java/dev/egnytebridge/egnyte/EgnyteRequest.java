package dev.egnytebridge.egnyte;

/**
 * One request to an Egnyte domain, the body route {@code call-egnyte} takes: a call of the public API with a user's
 * access token (a GET, or a JSON body for the webhooks API), or the form POST of the OAuth code exchange (no token).
 * {@link #toString()} masks the token and the body, which carry secrets.
 *
 * @param method      GET, POST, PUT or DELETE
 * @param subdomain   the Egnyte domain ({@code acme} of acme.egnyte.com), filled into {@code egnyte.base-url}
 * @param accessToken the bearer token of the call, or null (the token endpoint); calls are rate limited per token
 * @param path        the path on the domain, e.g. {@code /pubapi/v1/events}
 * @param query       the query string without '?', or null
 * @param body        the body to send, or null
 * @param contentType the body's media type (form or JSON), or null without a body
 * @param instanceId  whose call this is, only to tag the rate-limit metric; null when no instance makes it
 */
public record EgnyteRequest(String method, String subdomain, String accessToken, String path, String query, String body,
                            String contentType, Long instanceId) {

    static final String FORM = "application/x-www-form-urlencoded";
    static final String JSON = "application/json";

    /** A GET of the public API with the user's token. */
    public static EgnyteRequest get(String subdomain, String accessToken, String path, String query) {
        return new EgnyteRequest("GET", subdomain, accessToken, path, query, null, null, null);
    }

    /** A form POST without a token (the OAuth token endpoint). */
    public static EgnyteRequest postForm(String subdomain, String path, String form) {
        return new EgnyteRequest("POST", subdomain, null, path, null, form, FORM, null);
    }

    /** A call of the public API with the user's token and a JSON body (null for none), e.g. the webhooks API. */
    public static EgnyteRequest withJson(String method, String subdomain, String accessToken, String path, String json) {
        return new EgnyteRequest(method, subdomain, accessToken, path, null, json, json == null ? null : JSON, null);
    }

    /** The same request, its waits for the token's turn counted for this instance. */
    public EgnyteRequest forInstance(long id) {
        return new EgnyteRequest(method, subdomain, accessToken, path, query, body, contentType, id);
    }

    @Override
    public String toString() {
        return "EgnyteRequest[" + method + " " + subdomain + " " + path + (query == null ? "" : "?" + query)
                + (accessToken == null ? "" : ", token=****") + (body == null ? "" : ", body=****") + "]";
    }
}
