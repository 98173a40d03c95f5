package dev.egnytebridge.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EgnyteSimulatorTest {

    private static final String TOKEN = "token-1";
    private static final Instant NOW = Instant.parse("2025-05-28T11:41:12Z");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final ObjectMapper json = new ObjectMapper();
    private EgnyteSimulator egnyte;

    @BeforeEach
    void start() {
        egnyte = new EgnyteSimulator(Clock.fixed(NOW, ZoneOffset.UTC)).start();
        egnyte.registerToken(TOKEN);
    }

    @AfterEach
    void stop() {
        egnyte.close();
    }

    private HttpResponse<String> get(String pathAndQuery, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(egnyte.baseUrl() + pathAndQuery)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postToken(String... form) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < form.length; i += 2) {
            body.append(i == 0 ? "" : "&").append(form[i]).append('=')
                    .append(URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
        }
        return http.send(HttpRequest.newBuilder(URI.create(egnyte.baseUrl() + "/puboauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> response) throws IOException {
        return json.readTree(response.body());
    }

    @Test
    void bindsToLoopbackOnAFreePort() {
        assertThat(egnyte.baseUrl()).startsWith("http://127.0.0.1:");
        assertThat(egnyte.port()).isPositive();
    }

    @Test
    void exchangesARegisteredCodeOnceAndRecordsTheForm() throws Exception {
        egnyte.acceptCode("code-1", "issued-token");

        HttpResponse<String> first = postToken("grant_type", "authorization_code", "code", "code-1",
                "client_id", "key", "client_secret", "secret", "redirect_uri", "https://app.example/cb");
        HttpResponse<String> second = postToken("grant_type", "authorization_code", "code", "code-1",
                "client_id", "key", "client_secret", "secret", "redirect_uri", "https://app.example/cb");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(body(first).path("access_token").asText()).isEqualTo("issued-token");
        assertThat(body(first).path("token_type").asText()).isEqualTo("bearer");
        assertThat(body(first).path("expires_in").asInt()).isEqualTo(-1);
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(body(second).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(egnyte.tokenRequests()).hasSize(2);
        assertThat(egnyte.tokenRequests().get(0))
                .containsEntry("client_id", "key").containsEntry("redirect_uri", "https://app.example/cb");
        assertThat(get("/pubapi/v1/events/cursor", "issued-token").statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsAnUnknownCodeUnlessAnyCodeIsAccepted() throws Exception {
        assertThat(postToken("grant_type", "authorization_code", "code", "nope").statusCode()).isEqualTo(400);

        egnyte.acceptAnyCode(true);
        HttpResponse<String> ok = postToken("grant_type", "authorization_code", "code", "nope");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(body(ok).path("access_token").asText()).isEqualTo(EgnyteSimulator.tokenForCode("nope"));
    }

    @Test
    void rejectsWrongClientCredentialsWhenExpected() throws Exception {
        egnyte.expectClient("key", "secret").acceptCode("c", "t");

        HttpResponse<String> r = postToken("grant_type", "authorization_code", "code", "c",
                "client_id", "key", "client_secret", "wrong");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(body(r).path("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void rateLimitsTheTokenEndpointWith409AndRetryAfter() throws Exception {
        egnyte.acceptCode("c", "t").tokenRateLimitNext(1, 120);

        HttpResponse<String> limited = postToken("grant_type", "authorization_code", "code", "c");

        assertThat(limited.statusCode()).isEqualTo(409);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("120");
        assertThat(postToken("grant_type", "authorization_code", "code", "c").statusCode()).isEqualTo(200);
    }

    @Test
    void authorizeRedirectsWithAFreshCodeThatExchangesForAToken() throws Exception {
        HttpResponse<String> r = get("/puboauth/token?client_id=key&redirect_uri="
                + URLEncoder.encode("https://app.example/cb", StandardCharsets.UTF_8)
                + "&scope=Egnyte.filesystem&state=s1&response_type=code", null);

        assertThat(r.statusCode()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("https://app.example/cb?code=").endsWith("&state=s1");
        String code = location.substring(location.indexOf("code=") + 5, location.indexOf("&state"));
        assertThat(postToken("grant_type", "authorization_code", "code", code).statusCode()).isEqualTo(200);
    }

    @Test
    void answersTheCursorWithLatestAndOldestIds() throws Exception {
        egnyte.addEvents(30);
        egnyte.expireEventsUpTo(10);

        JsonNode cursor = body(get("/pubapi/v1/events/cursor", TOKEN));

        assertThat(cursor.path("latest_event_id").asLong()).isEqualTo(30);
        assertThat(cursor.path("oldest_event_id").asLong()).isEqualTo(11);
        assertThat(cursor.path("timestamp").asText()).isEqualTo("2025-05-28T11:41:12.000Z");
    }

    @Test
    void servesEventsNewerThanTheCursorInEgnytesShape() throws Exception {
        egnyte.addEvent("create", "/Shared/a.docx", false);
        long copy = egnyte.addEvent("copy", "/Shared/b.docx", false);

        HttpResponse<String> r = get("/pubapi/v1/events?id=1&count=10", TOKEN);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode page = body(r);
        assertThat(page.path("latest_id").asLong()).isEqualTo(copy);
        assertThat(page.path("oldest_id").asLong()).isEqualTo(copy);
        assertThat(page.path("count").asInt()).isEqualTo(1);
        JsonNode event = page.path("events").get(0);
        assertThat(event.path("id").asLong()).isEqualTo(copy);
        assertThat(event.path("timestamp").asText()).isEqualTo("2025-05-28T11:41:12.000Z");
        assertThat(event.path("action_source").asText()).isEqualTo("WebUI");
        assertThat(event.path("actor").asInt()).isEqualTo(1);
        assertThat(event.path("type").asText()).isEqualTo("file_system");
        assertThat(event.path("action").asText()).isEqualTo("copy");
        assertThat(event.path("object_detail").asText()).isEqualTo(egnyte.baseUrl() + "/pubapi/v1/fs/Shared/b.docx");
        assertThat(event.path("data").path("target_path").asText()).isEqualTo("/Shared/b.docx");
        assertThat(event.path("data").path("target_id").asText()).hasSize(8);
        assertThat(event.path("data").path("source_path").asText()).isEqualTo("/Shared/Templates/b.docx");
        assertThat(event.path("data").path("is_folder").asBoolean()).isFalse();
    }

    @Test
    void folderAndNoteEventsCarryTheirIds() throws Exception {
        egnyte.addEvent("create", "/Shared/Projects", true);
        egnyte.addNoteEvent("create", "/Shared/a.docx");

        JsonNode events = body(get("/pubapi/v1/events?id=0", TOKEN)).path("events");

        assertThat(events.get(0).path("data").path("folder_id").asText()).isNotEmpty();
        assertThat(events.get(0).path("data").path("is_folder").asBoolean()).isTrue();
        assertThat(events.get(1).path("type").asText()).isEqualTo("note");
        assertThat(events.get(1).path("data").path("note_id").asText()).isNotEmpty();
    }

    @Test
    void pagesThousandsOfEventsInAscendingOrder() throws Exception {
        egnyte.addEvents(5_000);
        List<Long> seen = new ArrayList<>();
        long cursor = 0;
        while (true) {
            HttpResponse<String> r = get("/pubapi/v1/events?id=" + cursor + "&count=100", TOKEN);
            if (r.statusCode() == 204) {
                break;
            }
            JsonNode page = body(r);
            page.path("events").forEach(e -> seen.add(e.path("id").asLong()));
            cursor = page.path("latest_id").asLong();
        }
        assertThat(seen).hasSize(5_000).isSorted().doesNotHaveDuplicates();
        assertThat(seen.get(0)).isEqualTo(1);
    }

    @Test
    void answers204WithNoBodyWhenNothingIsNewer() throws Exception {
        long last = egnyte.addEvent("create", "/Shared/a.docx", false);

        HttpResponse<String> r = get("/pubapi/v1/events?id=" + last, TOKEN);

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void answers404WhenEventsAfterTheCursorAgedOut() throws Exception {
        egnyte.addEvents(50);
        egnyte.expireEventsUpTo(20);

        assertThat(get("/pubapi/v1/events?id=19", TOKEN).statusCode()).isEqualTo(404);
        assertThat(get("/pubapi/v1/events?id=20", TOKEN).statusCode()).isEqualTo(200);
        assertThat(body(get("/pubapi/v1/events?id=20&count=1", TOKEN)).path("events").get(0).path("id").asLong())
                .isEqualTo(21);
    }

    @Test
    void rejectsPagesLargerThan100() throws Exception {
        assertThat(get("/pubapi/v1/events?id=0&count=101", TOKEN).statusCode()).isEqualTo(400);
        assertThat(get("/pubapi/v1/events?count=10", TOKEN).statusCode()).isEqualTo(400);
    }

    @Test
    void filtersByFolderTypeAndSuppress() throws Exception {
        egnyte.addEvent("create", "/Shared/x/a.docx", false);
        egnyte.addEvent("create", "/Shared/xy/b.docx", false);
        egnyte.addNoteEvent("create", "/Shared/x/a.docx");
        egnyte.addEvent("file_system", "create", "PublicAPI", 1, "/Shared/x/api.docx", null, false);
        egnyte.addEvent("file_system", "create", "WebUI", EgnyteSimulator.TOKEN_USER, "/Shared/x/mine.docx", null, false);

        assertThat(ids("/pubapi/v1/events?id=0&folder=%2FShared%2Fx")).containsExactly(1L, 3L, 4L, 5L);
        assertThat(ids("/pubapi/v1/events?id=0&type=note")).containsExactly(3L);
        assertThat(ids("/pubapi/v1/events?id=0&suppress=app")).containsExactly(1L, 2L, 3L, 5L);
        assertThat(ids("/pubapi/v1/events?id=0&suppress=user")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(get("/pubapi/v1/events?id=0&type=bogus", TOKEN).statusCode()).isEqualTo(400);
    }

    @Test
    void pageCursorSkipsFilteredEvents() throws Exception {
        egnyte.addEvent("create", "/Shared/x/a.docx", false);
        egnyte.addEvent("create", "/Other/b.docx", false);

        JsonNode page = body(get("/pubapi/v1/events?id=0&folder=/Shared/x", TOKEN));

        assertThat(page.path("latest_id").asLong()).isEqualTo(2);
        assertThat(page.path("count").asInt()).isEqualTo(1);
    }

    private List<Long> ids(String pathAndQuery) throws Exception {
        List<Long> ids = new ArrayList<>();
        body(get(pathAndQuery, TOKEN)).path("events").forEach(e -> ids.add(e.path("id").asLong()));
        return ids;
    }

    @Test
    void rejectsMissingUnknownAndRevokedTokensWith401() throws Exception {
        assertThat(get("/pubapi/v1/events/cursor", null).statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = get("/pubapi/v1/events/cursor", "forged");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(body(unknown).path("errorMessage").asText()).isNotBlank();

        egnyte.revokeToken(TOKEN);

        assertThat(get("/pubapi/v1/events/cursor", TOKEN).statusCode()).isEqualTo(401);
    }

    @Test
    void injectsFailuresRateLimitsAndMalformedBodiesInOrder() throws Exception {
        egnyte.failNext(1, 503).rateLimitNext(1, EgnyteSimulator.OVER_QPS, 2)
                .rateLimitNext(1, EgnyteSimulator.OVER_RATE, 3600).malformedNext(1);

        assertThat(get("/pubapi/v1/events/cursor", TOKEN).statusCode()).isEqualTo(503);
        HttpResponse<String> qps = get("/pubapi/v1/events/cursor", TOKEN);
        assertThat(qps.statusCode()).isEqualTo(403);
        assertThat(qps.headers().firstValue("X-Mashery-Error-Code")).hasValue("ERR_403_DEVELOPER_OVER_QPS");
        assertThat(qps.headers().firstValue("Retry-After")).hasValue("2");
        HttpResponse<String> rate = get("/pubapi/v1/events/cursor", TOKEN);
        assertThat(rate.headers().firstValue("X-Mashery-Error-Code")).hasValue("ERR_403_DEVELOPER_OVER_RATE");
        HttpResponse<String> malformed = get("/pubapi/v1/events/cursor", TOKEN);
        assertThat(malformed.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> json.readTree(malformed.body())).isInstanceOf(IOException.class);
        assertThat(get("/pubapi/v1/events/cursor", TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void enforcesQueriesPerSecondPerToken() throws Exception {
        get("/pubapi/v1/events/cursor", TOKEN); // warm the connection up before the limit counts calls
        egnyte.enforceQps(2);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(get("/pubapi/v1/events/cursor", TOKEN).statusCode());
        }

        // three calls within one second: the third is over the limit (the loop cannot take a second on loopback)
        assertThat(statuses).containsExactly(200, 200, 403);
        assertThat(egnyte.requestsTo("/pubapi").get(3).path()).isEqualTo("/pubapi/v1/events/cursor");
    }

    @Test
    void recordsRequestsAndConcurrentCallsPerToken() throws Exception {
        // both calls are held long enough that the second arrives while the first is still being answered
        egnyte.registerToken("token-2").delayNext(2, 1000);

        CompletableFuture<HttpResponse<String>> a = http.sendAsync(HttpRequest.newBuilder(
                        URI.create(egnyte.baseUrl() + "/pubapi/v1/events/cursor?x=%2FA")).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> b = http.sendAsync(HttpRequest.newBuilder(
                        URI.create(egnyte.baseUrl() + "/pubapi/v1/events/cursor")).header("Authorization", "Bearer token-2").build(),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture.allOf(a, b).join();

        assertThat(egnyte.maxInFlight()).isEqualTo(2);
        assertThat(egnyte.maxInFlight(TOKEN)).isEqualTo(1);
        // the server counts a call out after its answer is written, which the client may read first
        await().atMost(Duration.ofSeconds(5)).until(() -> egnyte.inFlight() == 0);
        assertThat(egnyte.requestsTo("/pubapi/v1/events")).hasSize(2);
        RecordedRequest withQuery = egnyte.requests().stream().filter(r -> !r.query().isEmpty()).findFirst().orElseThrow();
        assertThat(withQuery.query()).isEqualTo("x=%2FA");
        assertThat(withQuery.queryParam("x")).isEqualTo("/A");
        assertThat(withQuery.header("authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(withQuery.method()).isEqualTo("GET");
    }

    @Test
    void listsFolderContentsWithEgnytesDateFormats() throws Exception {
        Instant created = Instant.parse("2025-05-01T08:00:00Z");
        Instant modified = Instant.parse("2025-05-28T11:41:12Z");
        egnyte.putFile("/Shared/Docs/a.docx", created, modified);
        egnyte.putFile("/Shared/Docs/Sub/b.docx", created, created);

        HttpResponse<String> r = get("/pubapi/v1/fs/Shared/Docs?sort_by=last_modified", TOKEN);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode listing = body(r);
        JsonNode file = listing.path("files").get(0);
        assertThat(file.path("path").asText()).isEqualTo("/Shared/Docs/a.docx");
        assertThat(file.path("name").asText()).isEqualTo("a.docx");
        assertThat(file.path("last_modified").asText()).isEqualTo("Wed, 28 May 2025 11:41:12 GMT");
        assertThat(file.path("uploaded").asLong()).isEqualTo(created.toEpochMilli());
        assertThat(file.path("entry_id").asText()).isNotEmpty();
        assertThat(file.path("group_id").asText()).isNotEmpty();
        assertThat(file.path("is_folder").asBoolean()).isFalse();
        JsonNode folder = listing.path("folders").get(0);
        assertThat(folder.path("path").asText()).isEqualTo("/Shared/Docs/Sub");
        assertThat(folder.path("lastModified").asLong()).isEqualTo(created.toEpochMilli());
        assertThat(folder.path("folder_id").asText()).isNotEmpty();
        assertThat(egnyte.requestsTo("/pubapi/v1/fs").get(0).query()).isEqualTo("sort_by=last_modified");
        assertThat(get("/pubapi/v1/fs/Shared/Missing", TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void modifyingAFileKeepsItsGroupAndChangesItsEntry() throws Exception {
        egnyte.putFile("/Shared/a.docx", NOW, NOW);
        JsonNode before = body(get("/pubapi/v1/fs/Shared", TOKEN)).path("files").get(0);

        egnyte.putFile("/Shared/a.docx", NOW, NOW.plusSeconds(60));
        JsonNode after = body(get("/pubapi/v1/fs/Shared", TOKEN)).path("files").get(0);

        assertThat(after.path("group_id")).isEqualTo(before.path("group_id"));
        assertThat(after.path("entry_id")).isNotEqualTo(before.path("entry_id"));
    }

    @Test
    void generatesEventsPeriodicallyUntilClosed() {
        egnyte.startGeneratingEvents(Duration.ofMillis(20));

        await().atMost(Duration.ofSeconds(5)).until(() -> egnyte.latestEventId() >= 3);
        egnyte.close();
        long after = egnyte.latestEventId();

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
                .until(() -> egnyte.latestEventId() == after);
    }

    @Test
    void refusesANonPositiveGenerationPeriod() {
        assertThatThrownBy(() -> egnyte.startGeneratingEvents(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
