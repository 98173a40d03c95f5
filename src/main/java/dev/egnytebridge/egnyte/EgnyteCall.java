package dev.egnytebridge.egnyte;

import java.time.Duration;

/**
 * One call to Egnyte while route {@code call-egnyte} makes it (exchange property {@value #PROPERTY}, set by its step
 * {@code hold-the-request}): the request, the URL the HTTP step sends to, how often Egnyte's per-second limit sent
 * it back, and at the end the answer.
 */
public final class EgnyteCall {

    /** The exchange property route call-egnyte keeps the call under while it runs. */
    public static final String PROPERTY = "egnyteCall";
    /** How often one request is sent again after Egnyte's per-second limit refused it, before its 403 stands. */
    static final int MAX_QPS_RETRIES = 5;

    private final EgnyteRequest request;
    private final String baseUrl;
    private int qpsRetries;
    private EgnyteAnswer answer;

    EgnyteCall(EgnyteRequest request, String baseUrl) {
        this.request = request;
        this.baseUrl = baseUrl;
    }

    public EgnyteRequest request() {
        return request;
    }

    /** Where the HTTP step sends: the scheme and host of the instance's Egnyte domain (the path is a header). */
    public String baseUrl() {
        return baseUrl;
    }

    /** True until Egnyte gave an answer that is not "over the per-second limit, try again". */
    public boolean pending() {
        return answer == null;
    }

    public EgnyteAnswer answer() {
        return answer;
    }

    void answered(EgnyteAnswer answer) {
        this.answer = answer;
    }

    /** Counts one more try after an over-QPS refusal; false once the tries are spent. */
    boolean retryAfterOverQps() {
        if (qpsRetries >= MAX_QPS_RETRIES) {
            return false;
        }
        qpsRetries++;
        return true;
    }

    int qpsRetries() {
        return qpsRetries;
    }

    static Duration retryAfter(EgnyteAnswer answer) {
        return EgnyteResponses.retryAfter(answer.headers(), EgnyteResponses.DEFAULT_QPS_WAIT);
    }
}
