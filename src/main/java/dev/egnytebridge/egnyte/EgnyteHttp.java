package dev.egnytebridge.egnyte;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;

import dev.egnytebridge.config.BridgeSettings;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;

/**
 * Bean {@code egnyteHttp}: the steps of route {@code call-egnyte} around its HTTP step. Writes an
 * {@link EgnyteRequest} as the message the HTTP component sends (only these headers: everything else on the message
 * is cleared first, and the route clears them all again afterwards, so the bearer token reaches no later step and no
 * log), and reads the response back as an {@link EgnyteAnswer}.
 */
public class EgnyteHttp {

    private static final String BEARER = "Bearer ";

    private final BridgeSettings settings;
    private final EgnyteRateLimiter rateLimiter;
    /** Whether the instance a request is made for still exists (requests made for no instance always go). */
    private final LongPredicate instanceExists;

    /** For requests that never outlive their instance (tests of the route alone). */
    public EgnyteHttp(BridgeSettings settings, EgnyteRateLimiter rateLimiter) {
        this(settings, rateLimiter, id -> true);
    }

    public EgnyteHttp(BridgeSettings settings, EgnyteRateLimiter rateLimiter, LongPredicate instanceExists) {
        this.settings = settings;
        this.rateLimiter = rateLimiter;
        this.instanceExists = instanceExists;
    }

    /** Step {@code hold-the-request}: the call's state, kept while the body is the HTTP message. */
    public EgnyteCall begin(@Body EgnyteRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("direct:call-egnyte takes an EgnyteRequest as its body");
        }
        return new EgnyteCall(request, settings.egnyteBaseUrl(request.subdomain()));
    }

    /**
     * Step {@code stop-if-instance-deleted}, after the wait for the token's turn and right before the request goes out:
     * a DELETE answers without waiting for a running poll, whose next request stops here, so Egnyte sees no call for
     * an instance once its DELETE has been answered but the one already on the wire.
     */
    public void stopIfInstanceDeleted(@ExchangeProperty(EgnyteCall.PROPERTY) EgnyteCall call) {
        Long instanceId = call.request().instanceId();
        if (instanceId != null && !instanceExists.test(instanceId)) {
            throw new InstanceDeleted(instanceId);
        }
    }

    /** The instance a request was made for was deleted while the request waited: it is not sent. */
    public static final class InstanceDeleted extends RuntimeException {
        InstanceDeleted(long instanceId) {
            super("Instance " + instanceId + " was deleted; its request to Egnyte was not sent", null, false, false);
        }
    }

    /** Step {@code write-http-request}: the message is a plain HTTP request (the bean writes the HTTP headers). */
    public void writeRequest(@ExchangeProperty(EgnyteCall.PROPERTY) EgnyteCall call, Message message) {
        EgnyteRequest request = call.request();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, request.method());
        message.setHeader(Exchange.HTTP_PATH, request.path());
        if (request.query() != null && !request.query().isEmpty()) {
            message.setHeader(Exchange.HTTP_QUERY, request.query());
        }
        if (request.accessToken() != null) {
            message.setHeader("Authorization", BEARER + request.accessToken());
        }
        if (request.contentType() != null) {
            message.setHeader(Exchange.CONTENT_TYPE, request.contentType());
        }
        message.setHeader("Accept", "application/json");
        message.setBody(request.body());
    }

    /**
     * Step {@code classify-answer}: Egnyte's answer, or, when it refused the call as over its per-second limit, a
     * wait of its Retry-After for every call with this token (the rate limiter holds them back) and the same request
     * again, a few times. Every other answer, failures included, goes back to the caller, which knows what a 404 or
     * a 400 means for its call.
     */
    public void classify(@ExchangeProperty(EgnyteCall.PROPERTY) EgnyteCall call,
                         @Header(Exchange.HTTP_RESPONSE_CODE) Integer status, @Header("Retry-After") String retryAfter,
                         @Header(EgnyteResponses.MASHERY_ERROR_HEADER) String errorCode, @Body String body) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (retryAfter != null) {
            headers.put("Retry-After", retryAfter);
        }
        if (errorCode != null) {
            headers.put(EgnyteResponses.MASHERY_ERROR_HEADER, errorCode);
        }
        EgnyteAnswer answer = new EgnyteAnswer(status == null ? 0 : status, body, headers);
        if (answer.overQps() && call.request().accessToken() != null && call.retryAfterOverQps()) {
            rateLimiter.backOff(call.request().accessToken(), EgnyteCall.retryAfter(answer));
            return;
        }
        call.answered(answer);
    }
}
