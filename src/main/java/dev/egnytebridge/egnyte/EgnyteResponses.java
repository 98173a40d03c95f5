package dev.egnytebridge.egnyte;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Classifies Egnyte's HTTP responses: success, "no content" (the events endpoint's 204), or an {@link EgnyteFault}
 * of the right kind. Also parses bodies, turning malformed JSON into a provider fault rather than a parser error.
 */
public final class EgnyteResponses {

    /** What a successful response means. */
    public enum Outcome { OK, NO_CONTENT }

    public static final String MASHERY_ERROR_HEADER = "X-Mashery-Error-Code";
    public static final String OVER_QPS_CODE = "ERR_403_DEVELOPER_OVER_QPS";
    public static final String OVER_RATE_CODE = "ERR_403_DEVELOPER_OVER_RATE";

    /** Defaults when Egnyte gives no Retry-After: the per-second limit clears in a second, the others take longer. */
    static final Duration DEFAULT_QPS_WAIT = Duration.ofSeconds(1);
    static final Duration DEFAULT_QUOTA_WAIT = Duration.ofHours(1);
    static final Duration DEFAULT_TOKEN_WAIT = Duration.ofMinutes(1);
    /** The longest wait any Retry-After gets: Egnyte's quotas reset daily, so a longer one is a mistake to outlast. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

    private static final int EXCERPT_LENGTH = 160;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_FIELDS = Pattern.compile(
            "(?i)((?<![A-Za-z_])\"?(?:access_token|refresh_token|client_secret|code|password|token)\"?\\s*[:=]\\s*\"?)[^\"&,\\s}]+");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',;]+");

    private EgnyteResponses() {
    }

    /**
     * OK for 2xx (NO_CONTENT for 204); otherwise throws the fault: 401 TOKEN_REJECTED; 403 with an over-QPS or
     * over-rate Mashery code OVER_QPS / OVER_DAILY_QUOTA; 404 NOT_FOUND; 409 TOKEN_RATE_LIMITED; 400 invalid_grant
     * GRANT_REJECTED; anything else PROVIDER_ERROR. Header names are matched ignoring case; values may be any object
     * (Camel message headers) and are read with toString.
     */
    public static Outcome check(int status, Map<String, ?> headers, String body) {
        if (status == 204) {
            return Outcome.NO_CONTENT;
        }
        if (status >= 200 && status < 300) {
            return Outcome.OK;
        }
        String excerpt = excerpt(body);
        switch (status) {
            case 401 -> throw new EgnyteFault(EgnyteFault.Kind.TOKEN_REJECTED, status, null,
                    "Egnyte rejected the access token (HTTP 401)" + excerpt);
            case 403 -> {
                String code = header(headers, MASHERY_ERROR_HEADER);
                if (OVER_QPS_CODE.equalsIgnoreCase(code)) {
                    throw new EgnyteFault(EgnyteFault.Kind.OVER_QPS, status, retryAfter(headers, DEFAULT_QPS_WAIT),
                            "Egnyte's per-second call limit was exceeded (HTTP 403 " + OVER_QPS_CODE + ")");
                }
                if (OVER_RATE_CODE.equalsIgnoreCase(code)) {
                    throw new EgnyteFault(EgnyteFault.Kind.OVER_DAILY_QUOTA, status,
                            retryAfter(headers, DEFAULT_QUOTA_WAIT),
                            "Egnyte's daily call quota is spent (HTTP 403 " + OVER_RATE_CODE + ")");
                }
                throw new EgnyteFault(EgnyteFault.Kind.PROVIDER_ERROR, status, null,
                        "Egnyte refused the call (HTTP 403" + (code == null ? "" : " " + clip(code)) + ")" + excerpt);
            }
            case 404 -> throw new EgnyteFault(EgnyteFault.Kind.NOT_FOUND, status, null,
                    "Egnyte answered not found (HTTP 404)" + excerpt);
            case 409 -> throw new EgnyteFault(EgnyteFault.Kind.TOKEN_RATE_LIMITED, status,
                    retryAfter(headers, DEFAULT_TOKEN_WAIT),
                    "Egnyte's token request limit was exceeded (HTTP 409)" + excerpt);
            default -> {
                if (status == 400 && isInvalidGrant(body)) {
                    throw new EgnyteFault(EgnyteFault.Kind.GRANT_REJECTED, status, null,
                            "Egnyte rejected the authorization code (HTTP 400 invalid_grant)");
                }
                throw new EgnyteFault(EgnyteFault.Kind.PROVIDER_ERROR, status, null,
                        "Egnyte failed (HTTP " + status + ")" + excerpt);
            }
        }
    }

    /** The body as JSON; throws a PROVIDER_ERROR fault ("malformed JSON from Egnyte") when it is not JSON. */
    public static JsonNode parseJson(String body) {
        if (body == null || body.isBlank()) {
            throw new EgnyteFault(EgnyteFault.Kind.PROVIDER_ERROR, 0, null, "malformed JSON from Egnyte: empty body");
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new EgnyteFault(EgnyteFault.Kind.PROVIDER_ERROR, 0, null, "malformed JSON from Egnyte: empty body");
            }
            return node;
        } catch (JsonProcessingException e) {
            // the parser's message quotes the body, which could hold a token: keep only where it failed
            throw new EgnyteFault(EgnyteFault.Kind.PROVIDER_ERROR, 0,
                    "malformed JSON from Egnyte (" + body.length() + " characters, failed at "
                            + (e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr() + " column "
                            + e.getLocation().getColumnNr()) + ")", null);
        }
    }

    /** The body as a JSON object; a PROVIDER_ERROR fault when malformed or not an object. */
    public static ObjectNode parseObject(String body) {
        JsonNode node = parseJson(body);
        if (node instanceof ObjectNode o) {
            return o;
        }
        throw new EgnyteFault(EgnyteFault.Kind.PROVIDER_ERROR, 0, null,
                "unexpected JSON from Egnyte: expected an object, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Retry-After as seconds or an HTTP date; the default when absent, unreadable, not positive or a date past; at most
     * {@link #MAX_RETRY_AFTER}.
     */
    public static Duration retryAfter(Map<String, ?> headers, Duration defaultWait) {
        Duration wait = readRetryAfter(headers, defaultWait);
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    private static Duration readRetryAfter(Map<String, ?> headers, Duration defaultWait) {
        String value = header(headers, "Retry-After");
        if (value == null) {
            return defaultWait;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds > 0 ? Duration.ofSeconds(seconds) : defaultWait;
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(Instant.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() || d.isZero() ? defaultWait : d;
            } catch (RuntimeException notADate) {
                return defaultWait;
            }
        }
    }

    private static String header(Map<String, ?> headers, String name) {
        if (headers == null) {
            return null;
        }
        Object direct = headers.get(name);
        if (direct == null) {
            for (Map.Entry<String, ?> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    direct = e.getValue();
                    break;
                }
            }
        }
        if (direct instanceof Iterable<?> values) {
            var it = values.iterator();
            direct = it.hasNext() ? it.next() : null;
        }
        return direct == null ? null : direct.toString();
    }

    private static boolean isInvalidGrant(String body) {
        if (body == null || body.isBlank()) {
            return false;
        }
        try {
            return "invalid_grant".equals(JSON.readTree(body).path("error").asText(null));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** ": <excerpt>" of a body with token-like values redacted, or "" for an empty body. */
    static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body.replaceAll("\\s+", " ").trim();
        text = SECRET_FIELDS.matcher(text).replaceAll("$1***");
        text = BEARER.matcher(text).replaceAll("$1***");
        return ": " + clip(text);
    }

    private static String clip(String text) {
        return text.length() <= EXCERPT_LENGTH ? text : text.substring(0, EXCERPT_LENGTH) + "...";
    }
}
