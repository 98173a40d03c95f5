package dev.egnytebridge.egnyte;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import dev.egnytebridge.sandbox.EgnyteSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class EgnyteResponsesTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private EgnyteSimulator egnyte;

    @BeforeEach
    void start() {
        egnyte = new EgnyteSimulator().start();
        egnyte.registerToken("t");
    }

    @AfterEach
    void stop() {
        egnyte.close();
    }

    /** Calls the simulator and classifies its answer exactly as the bridge would. */
    private EgnyteFault faultOf(String pathAndQuery, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(egnyte.baseUrl() + pathAndQuery))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        r.headers().map().forEach((k, v) -> headers.put(k, v.get(0)));
        return catchThrowableOfType(EgnyteFault.class, () -> EgnyteResponses.check(r.statusCode(), headers, r.body()));
    }

    @Test
    void acceptsSuccessAndNoContent() {
        assertThat(EgnyteResponses.check(200, Map.of(), "{}")).isEqualTo(EgnyteResponses.Outcome.OK);
        assertThat(EgnyteResponses.check(204, Map.of(), null)).isEqualTo(EgnyteResponses.Outcome.NO_CONTENT);
    }

    @Test
    void classifiesARevokedTokenAsRejected() throws Exception {
        egnyte.revokeToken("t");

        EgnyteFault fault = faultOf("/pubapi/v1/events/cursor", "t");

        assertThat(fault.kind()).isEqualTo(EgnyteFault.Kind.TOKEN_REJECTED);
        assertThat(fault.status()).isEqualTo(401);
        assertThat(fault.retryable()).isFalse();
        assertThat(fault.getMessage()).contains("401").doesNotContain("Bearer t");
    }

    @Test
    void classifiesMasheryLimitsWithTheirRetryAfter() throws Exception {
        egnyte.rateLimitNext(1, EgnyteSimulator.OVER_QPS, 3).rateLimitNext(1, EgnyteSimulator.OVER_RATE, 7200);

        EgnyteFault qps = faultOf("/pubapi/v1/events/cursor", "t");
        EgnyteFault daily = faultOf("/pubapi/v1/events/cursor", "t");

        assertThat(qps.kind()).isEqualTo(EgnyteFault.Kind.OVER_QPS);
        assertThat(qps.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(daily.kind()).isEqualTo(EgnyteFault.Kind.OVER_DAILY_QUOTA);
        assertThat(daily.retryAfter()).isEqualTo(Duration.ofHours(2));
        assertThat(daily.retryable()).isTrue();
    }

    @Test
    void defaultsRetryAfterToOneSecondForQps() {
        EgnyteFault fault = catchThrowableOfType(EgnyteFault.class, () -> EgnyteResponses.check(403,
                Map.of("x-mashery-error-code", "ERR_403_DEVELOPER_OVER_QPS"), "<h1>Developer Over Qps</h1>"));

        assertThat(fault.kind()).isEqualTo(EgnyteFault.Kind.OVER_QPS);
        assertThat(fault.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void treatsAnyOther403AsAProviderError() {
        EgnyteFault fault = catchThrowableOfType(EgnyteFault.class,
                () -> EgnyteResponses.check(403, Map.of(), "{\"errorMessage\":\"Forbidden\"}"));

        assertThat(fault.kind()).isEqualTo(EgnyteFault.Kind.PROVIDER_ERROR);
    }

    @Test
    void classifiesAnAgedOutCursorAsNotFound() throws Exception {
        egnyte.addEvents(10);
        egnyte.expireEventsUpTo(5);

        EgnyteFault fault = faultOf("/pubapi/v1/events?id=1", "t");

        assertThat(fault.kind()).isEqualTo(EgnyteFault.Kind.NOT_FOUND);
        assertThat(fault.getMessage()).contains("404");
    }

    @Test
    void classifiesTheTokenEndpointLimit() {
        EgnyteFault fault = catchThrowableOfType(EgnyteFault.class,
                () -> EgnyteResponses.check(409, Map.of("Retry-After", 600), "Too many requests"));

        assertThat(fault.kind()).isEqualTo(EgnyteFault.Kind.TOKEN_RATE_LIMITED);
        assertThat(fault.retryAfter()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void classifiesARejectedAuthorizationCode() {
        EgnyteFault fault = catchThrowableOfType(EgnyteFault.class, () -> EgnyteResponses.check(400, Map.of(),
                "{\"error\":\"invalid_grant\",\"error_description\":\"bad code\"}"));

        assertThat(fault.kind()).isEqualTo(EgnyteFault.Kind.GRANT_REJECTED);
        assertThat(fault.retryable()).isFalse();
    }

    @Test
    void classifiesServerErrorsAndOddStatusesAsProviderErrors() throws Exception {
        egnyte.failNext(1, 503);

        assertThat(faultOf("/pubapi/v1/events/cursor", "t").kind()).isEqualTo(EgnyteFault.Kind.PROVIDER_ERROR);
        assertThat(catchThrowableOfType(EgnyteFault.class, () -> EgnyteResponses.check(302, Map.of(), ""))
                .kind()).isEqualTo(EgnyteFault.Kind.PROVIDER_ERROR);
    }

    @Test
    void keepsSecretsOutOfMessagesAndClipsLongBodies() {
        String body = "{\"access_token\":\"abc123secret\",\"note\":\"Bearer xyz789\",\"filler\":\"" + "x".repeat(500) + "\"}";

        EgnyteFault fault = catchThrowableOfType(EgnyteFault.class, () -> EgnyteResponses.check(500, Map.of(), body));

        assertThat(fault.getMessage()).contains("HTTP 500").doesNotContain("abc123secret").doesNotContain("xyz789");
        assertThat(fault.getMessage().length()).isLessThan(250);
    }

    @Test
    void turnsMalformedJsonIntoAProviderError() throws Exception {
        egnyte.malformedNext(1);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(egnyte.baseUrl() + "/pubapi/v1/events/cursor"))
                .header("Authorization", "Bearer t").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(EgnyteResponses.check(r.statusCode(), Map.of(), r.body())).isEqualTo(EgnyteResponses.Outcome.OK);
        assertThatThrownBy(() -> EgnyteResponses.parseJson(r.body()))
                .isInstanceOfSatisfying(EgnyteFault.class,
                        f -> assertThat(f.kind()).isEqualTo(EgnyteFault.Kind.PROVIDER_ERROR))
                .hasMessageStartingWith("malformed JSON from Egnyte");
        assertThatThrownBy(() -> EgnyteResponses.parseJson("")).hasMessageStartingWith("malformed JSON from Egnyte");
        assertThatThrownBy(() -> EgnyteResponses.parseObject("[1]")).isInstanceOf(EgnyteFault.class);
        assertThat(EgnyteResponses.parseObject("{\"a\":1}").get("a").asInt()).isEqualTo(1);
    }

    @Test
    void readsRetryAfterGivenAsAnHttpDate() {
        String inAnHour = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusHours(1));

        Duration wait = EgnyteResponses.retryAfter(Map.of("Retry-After", inAnHour), Duration.ofSeconds(1));

        assertThat(wait).isBetween(Duration.ofMinutes(55), Duration.ofMinutes(61));
    }

    @Test
    void aRetryAfterThatIsMissingNegativePastOrAYearAwayGetsABoundedWait() {
        Duration fallback = Duration.ofSeconds(7);
        String yesterday = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minusDays(1));
        String nextYear = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusYears(1));

        assertThat(EgnyteResponses.retryAfter(Map.of(), fallback)).isEqualTo(fallback);
        assertThat(EgnyteResponses.retryAfter(Map.of("Retry-After", "-5"), fallback)).isEqualTo(fallback);
        assertThat(EgnyteResponses.retryAfter(Map.of("Retry-After", yesterday), fallback)).isEqualTo(fallback);
        assertThat(EgnyteResponses.retryAfter(Map.of("Retry-After", "31536000"), fallback)).isEqualTo(Duration.ofHours(24));
        assertThat(EgnyteResponses.retryAfter(Map.of("Retry-After", nextYear), fallback)).isEqualTo(Duration.ofHours(24));
    }
}
