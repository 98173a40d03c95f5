package dev.egnytebridge.egnyte;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.api.ApiException;
import dev.egnytebridge.config.BridgeSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperties;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bean {@code egnyteOAuth}: Egnyte's OAuth 2 authorization-code flow. Builds the authorize URL a user opens, and
 * exchanges the code the user comes back with for an access token at {@code {egnyte.base-url}/puboauth/token}, through
 * route {@code call-egnyte} like every other call to Egnyte (one HTTP component, one set of timeouts).
 */
public class EgnyteOAuth implements CamelContextAware {

    /** The OAuth scope of Egnyte's webhooks API, asked for when an instance will use webhooks. */
    public static final String WEBHOOKS_SCOPE = "Egnyte.webhooks";

    /** Exchange property where the create and update flows find the grant to exchange (an {@link EgnyteOAuthGrant}). */
    public static final String GRANT = "egnyteOAuthGrant";
    /** Exchange property where {@link #exchangeCode} leaves the access token. */
    public static final String ACCESS_TOKEN = "egnyteAccessToken";
    public static final String TOKEN_PATH = "/puboauth/token";

    private static final Logger LOG = LoggerFactory.getLogger(EgnyteOAuth.class);
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final int MAX_PROVIDER_MESSAGE = 300;

    /** The route every call to Egnyte goes through (routes/call-egnyte.yaml). */
    static final String CALL_EGNYTE = "direct:call-egnyte";

    private final BridgeSettings settings;
    private final ObjectMapper mapper;
    /** Set by the registry the bean is bound in; the template is made at the first exchange, once routes exist. */
    private CamelContext camelContext;
    private volatile ProducerTemplate calls;

    public EgnyteOAuth(BridgeSettings settings, ObjectMapper mapper) {
        this.settings = settings;
        this.mapper = mapper;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** Checks an Egnyte subdomain (one DNS label) and returns it lower-cased; {@code field} names it in the error. */
    public static String subdomain(String field, String value) {
        String s = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (!DNS_LABEL.matcher(s).matches()) {
            throw ApiException.badField(field, "must be your Egnyte subdomain (the 'acme' of acme.egnyte.com): "
                    + "letters, digits and inner hyphens, 63 characters at most");
        }
        return s;
    }

    /** Checks an absolute http(s) URL; {@code field} names it in the error. */
    public static String httpUrl(String field, String value) {
        String url = value == null ? "" : value.trim();
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw ApiException.badField(field, "must be an absolute http(s) URL");
    }

    // --- authorize URL

    /**
     * Route step of {@code GET /elements/{key}/oauth/url}: the body becomes {@code {"element", "oauthUrl"}}. With
     * {@code vendorType=webhooks} (the instance will use Egnyte's webhooks) the grant also asks for {@value #WEBHOOKS_SCOPE}.
     */
    public Map<String, String> oauthUrl(@Header("key") String key, @Header("subdomain") String subdomain,
                                        @Header("apiKey") String apiKey, @Header("callbackUrl") String callbackUrl,
                                        @Header("state") String state, @Header("vendorType") String vendorType) {
        if (!"egnyte".equals(key)) {
            throw ApiException.notFound("No element '" + truncate(key, 50) + "': this bridge serves the element egnyte");
        }
        boolean webhooks = vendorType != null && vendorType.equals("webhooks");
        if (vendorType != null && !webhooks && !vendorType.equals("polling")) {
            throw ApiException.badField("vendorType", "must be polling or webhooks");
        }
        String url = authorizeUrl(subdomain, required("apiKey", apiKey), callbackUrl, state, webhooks);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("element", "egnyte");
        body.put("oauthUrl", url);
        return body;
    }

    /** The URL that asks a user of {@code subdomain} to grant this client access; state is optional. */
    public String authorizeUrl(String subdomain, String apiKey, String callbackUrl, String state) {
        return authorizeUrl(subdomain, apiKey, callbackUrl, state, false);
    }

    /** The same, asking also for {@value #WEBHOOKS_SCOPE} when {@code webhooks}. */
    public String authorizeUrl(String subdomain, String apiKey, String callbackUrl, String state, boolean webhooks) {
        String domain = subdomain("subdomain", subdomain);
        String redirect = httpUrl("callbackUrl", callbackUrl);
        String scope = settings.egnyteScope();
        if (webhooks && !Arrays.asList(scope.split(" ")).contains(WEBHOOKS_SCOPE)) {
            scope = scope + " " + WEBHOOKS_SCOPE;
        }
        StringBuilder url = new StringBuilder(settings.egnyteBaseUrl(domain)).append(TOKEN_PATH)
                .append("?client_id=").append(encode(apiKey))
                .append("&redirect_uri=").append(encode(redirect))
                .append("&scope=").append(encode(scope));
        if (state != null && !state.isEmpty()) {
            url.append("&state=").append(encode(state));
        }
        return url.append("&response_type=code").toString();
    }

    // --- code exchange

    /** Route step {@code exchange-authorization-code}: exchanges property {@value #GRANT}, sets {@value #ACCESS_TOKEN}. */
    public void exchangeCode(@ExchangeProperty(GRANT) EgnyteOAuthGrant grant,
                             @ExchangeProperties Map<String, Object> properties) {
        if (grant == null) {
            throw new IllegalStateException("exchange-authorization-code runs without a grant in property " + GRANT);
        }
        properties.put(ACCESS_TOKEN, requestAccessToken(grant));
    }

    /**
     * Posts the code to Egnyte's token endpoint. Egnyte refusing it is a 400 carrying Egnyte's reason; Egnyte failing,
     * unreachable or answering nonsense is a 502. Neither message ever carries the code or the secrets.
     */
    public String requestAccessToken(EgnyteOAuthGrant grant) {
        String form = "grant_type=authorization_code"
                + "&code=" + encode(grant.code())
                + "&client_id=" + encode(grant.apiKey())
                + "&client_secret=" + encode(grant.apiSecret())
                + "&redirect_uri=" + encode(grant.callbackUrl());
        EgnyteAnswer response = call(EgnyteRequest.postForm(grant.subdomain(), TOKEN_PATH, form), grant);
        int status = response.status();
        String reason = providerMessage(response.body(), grant);
        if (status >= 200 && status < 300) {
            String token = accessToken(response.body());
            if (token == null) {
                LOG.warn("Egnyte token endpoint of {} answered {} without an access token", grant.subdomain(), status);
                throw new ApiException(502, null, "Egnyte answered the code exchange without an access token");
            }
            return token;
        }
        LOG.info("Egnyte token endpoint of {} answered {} to a code exchange", grant.subdomain(), status);
        if (status == 409 || status == 429) {
            throw new ApiException(502, null, "Egnyte is rate limiting code exchanges (HTTP " + status + ")"
                    + retryAfter(response) + "; try again later");
        }
        if (status >= 400 && status < 500) {
            throw new ApiException(400, "providerData.code", "Egnyte refused the authorization code (HTTP " + status + ")"
                    + (reason.isEmpty() ? "" : ": " + reason));
        }
        throw new ApiException(502, null, "Egnyte failed to exchange the authorization code (HTTP " + status + ")");
    }

    private String accessToken(String body) {
        try {
            JsonNode json = mapper.readTree(body);
            JsonNode token = json == null ? null : json.get("access_token");
            return token != null && token.isTextual() && !token.textValue().isBlank() ? token.textValue() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Egnyte's reason for a refusal, short, printable and scrubbed of the code and the secret. */
    String providerMessage(String body, EgnyteOAuthGrant grant) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String message = null;
        try {
            JsonNode json = mapper.readTree(body);
            if (json != null && json.isObject()) {
                for (String field : new String[] {"error_description", "errorMessage", "message", "error"}) {
                    if (json.hasNonNull(field) && json.get(field).isTextual()) {
                        message = json.get(field).textValue();
                        break;
                    }
                }
            }
        } catch (IOException e) {
            // not JSON: Egnyte answers some refusals as text or HTML
        }
        if (message == null) {
            message = body.replaceAll("<[^>]*>", " ");
        }
        for (String secret : new String[] {grant.code(), grant.apiSecret()}) {
            if (secret != null && secret.length() >= 4) {
                message = message.replace(secret, "****");
            }
        }
        message = message.replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
        return truncate(message, MAX_PROVIDER_MESSAGE);
    }

    /**
     * Sends the request through route call-egnyte. Egnyte unreachable or not answering within egnyte.http.timeout-ms
     * is a 502; the exception's own message is not passed on (it could quote the request).
     */
    private EgnyteAnswer call(EgnyteRequest request, EgnyteOAuthGrant grant) {
        Exchange done = template().send(CALL_EGNYTE, exchange -> exchange.getMessage().setBody(request));
        Exception failure = done.getException();
        if (failure == null) {
            return done.getMessage().getBody(EgnyteAnswer.class);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                LOG.warn("Egnyte token endpoint of {} unreachable: {}", grant.subdomain(), t.getClass().getSimpleName());
                throw new ApiException(502, null, "Egnyte could not be reached to exchange the authorization code; try again later");
            }
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new ApiException(502, null, "Interrupted while exchanging the authorization code");
            }
        }
        LOG.warn("The code exchange with Egnyte of {} failed: {}", grant.subdomain(), failure.getClass().getSimpleName());
        throw new ApiException(502, null, "Egnyte failed to exchange the authorization code");
    }

    private ProducerTemplate template() {
        ProducerTemplate t = calls;
        if (t == null) {
            synchronized (this) {
                if (calls == null) {
                    if (camelContext == null) {
                        throw new IllegalStateException("egnyteOAuth is not bound in a CamelContext");
                    }
                    calls = camelContext.createProducerTemplate();
                }
                t = calls;
            }
        }
        return t;
    }

    private static String retryAfter(EgnyteAnswer response) {
        String value = response.header("Retry-After");
        return value != null && value.matches("\\d{1,9}") ? ", retry after " + value + " seconds" : "";
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badField(field, "is required");
        }
        return value.trim();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    private static String truncate(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
