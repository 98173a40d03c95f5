package dev.egnytebridge.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.poller.PipelineTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The setup page in a real headless Chromium against the real bridge, the fake Egnyte and a real callback receiver:
 * what a person does, click by click, through Egnyte's actual authorize redirect.
 */
class InstanceSetupUiTest extends PipelineTestSupport {

    private static final Duration PATIENCE = Duration.ofSeconds(45);

    private BrowserSession browser;
    private final List<Long> createdThroughUi = new ArrayList<>();

    @BeforeAll
    void startBrowser() {
        browser = BrowserSession.start();
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        // a dead letter after three quick attempts, so the history shows FAILED within a second
        p.setProperty("bridge.delivery.retry-schedule", "100ms,100ms");
        // where Egnyte's webhooks would reach this bridge: without it an instance cannot use them (a 400)
        p.setProperty("bridge.public-base-url", baseUrl());
        return p;
    }

    /** Every test starts signed out, on the desktop size, with nothing pending in the tab. */
    @BeforeEach
    void freshTab() {
        browser.resize(BrowserSession.DESKTOP);
        browser.open(baseUrl() + "/");
        browser.script("sessionStorage.clear();");
        browser.open(baseUrl() + "/#/");
        browser.visible("sign-in-form");
    }

    @AfterEach
    void deleteInstancesMadeThroughTheUi() {
        for (long id : createdThroughUi) {
            sendJson("DELETE", "/instances/" + id, ALICE, "");
        }
        createdThroughUi.clear();
    }

    @Test
    void signsInWithSecretsKeptInTheTabOnly() {
        browser.type("f-user-secret", ALICE_SECRET);
        browser.type("f-org-secret", "not-the-org-secret");
        browser.click("sign-in");
        assertThat(browser.visible("f-org-secret-error").getText()).isNotBlank();
        assertThat(browser.visible("f-user-secret").getDomAttribute("aria-invalid")).isEqualTo("true");
        browser.screenshot("sign-in-refused");

        browser.type("f-org-secret", ORG_SECRET);
        browser.click("sign-in");
        browser.visible("no-instances");

        assertThat((String) browser.script("return sessionStorage.getItem('bridge.auth');"))
                .contains(ALICE_SECRET, ORG_SECRET);
        assertThat((String) browser.script("return localStorage.length + ''")).isEqualTo("0");
        assertThat(browser.driver().manage().getCookies()).isEmpty();
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(ALICE_SECRET, ORG_SECRET);

        browser.click("sign-out");
        browser.visible("sign-in-form");
        assertThat(browser.script("return sessionStorage.getItem('bridge.auth');")).isNull();
    }

    @Test
    void showsNoNavigationWhileSignedOut() {
        for (String id : List.of("nav", "nav-instances", "nav-new", "sign-out")) {
            assertThat(browser.driver().findElement(By.id(id)).isDisplayed()).as(id).isFalse();
        }
        signIn();
        assertThat(browser.visible("nav-instances").isDisplayed()).isTrue();
        browser.click("sign-out");
        browser.visible("sign-in-form");
        assertThat(browser.driver().findElement(By.id("sign-out")).isDisplayed()).isFalse();
    }

    @Test
    void signsInWithTheKeyboardAlone() {
        Actions keys = new Actions(browser.driver());
        // each view puts the focus on its heading, so the first Tab lands in the first field
        assertThat(browser.driver().switchTo().activeElement().getText()).isEqualTo("Sign in");
        keys.sendKeys(Keys.TAB).perform();
        assertThat(browser.driver().switchTo().activeElement().getDomAttribute("id")).isEqualTo("f-user-secret");
        keys.sendKeys(ALICE_SECRET).sendKeys(Keys.TAB).sendKeys(ORG_SECRET).sendKeys(Keys.TAB).perform();
        assertThat(browser.driver().switchTo().activeElement().getDomAttribute("id")).isEqualTo("sign-in");
        keys.sendKeys(Keys.ENTER).perform();

        browser.visible("no-instances");
        keys.sendKeys(Keys.TAB).perform();
        assertThat(browser.driver().switchTo().activeElement().getTagName()).isIn("a", "button");
    }

    @Test
    void createsAnInstanceThroughEgnytesRedirectAndShowsItsTokenOnce() throws Exception {
        signIn();
        browser.screenshot("instances-empty");
        browser.click("nav-new");
        browser.visible("create-form");
        assertThat(browser.visible("f-events-enabled").isSelected()).isTrue();
        // the fields show it; the JSON view ("Edit as JSON", closed) holds the same configuration
        String eventsConfig = browser.driver().findElement(By.cssSelector(".resource .resource-json")).getDomProperty("value");
        assertThat(JSON.readTree(eventsConfig)).isEqualTo(eventsResource("/hubs/documents/events").get("events"));

        // "add resource" starts from a copy of the events configuration; unticked, it is not polled
        browser.click("add-resource");
        List<WebElement> resources = browser.all(By.cssSelector(".resource"));
        assertThat(resources).hasSize(2);
        assertThat(resources.get(1).findElement(By.cssSelector(".resource-key")).getDomProperty("value"))
                .isEqualTo("resource2");
        assertThat(JSON.readTree(resources.get(1).findElement(By.cssSelector(".resource-json")).getDomProperty("value")))
                .isEqualTo(JSON.readTree(eventsConfig));
        resources.get(1).findElement(By.cssSelector(".resource-poll")).click();

        fillCreateForm("Projects feed", sink.url("/ui/a"));
        browser.click("add-callback");
        browser.driver().switchTo().activeElement().sendKeys(sink.url("/ui/b"));
        browser.type("f-tags", "Test, ui");
        browser.type("f-signature-key", "ui-signature-key");
        browser.screenshot("create-form");
        browser.click("create-instance");

        // Egnyte (the simulator) asked for consent and sent the browser back with a code
        String token = browser.visible("new-token").getDomProperty("value");
        long id = Long.parseLong(browser.visible("new-id").getText());
        createdThroughUi.add(id);
        browser.screenshot("instance-created");
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("code=").doesNotContain("state=");
        assertThat(browser.script("return sessionStorage.getItem('bridge.pendingInstance');"))
                .as("the pending form, secrets included, is gone once the instance exists").isNull();
        List<Map<String, String>> exchanges = egnyte.tokenRequests();
        assertThat(exchanges.get(exchanges.size() - 1))
                .containsEntry("client_id", "ui-api-key")
                .containsEntry("redirect_uri", baseUrl() + "/")
                .containsKey("code");
        assertThat(lastAuthorizeQuery()).as("polling, the default: no webhooks scope asked for")
                .doesNotContain("Egnyte.webhooks");
        assertThat(configurationOf(id).has("event.vendor.type")).isFalse();
        browser.click("copy-token");
        assertThat(browser.visible("copy-status").getText()).isNotBlank();

        JsonNode stored = JSON.readTree(get("/instances/" + id, ALICE).body());
        assertThat(stored.path("name").asText()).isEqualTo("Projects feed");
        assertThat(stored.path("tags")).extracting(JsonNode::asText).containsExactly("Test", "ui");
        JsonNode configuration = stored.path("configuration");
        assertThat(configuration.path("subdomain").asText()).isEqualTo("acme");
        assertThat(configuration.path("event.notification.callback.url").asText())
                .isEqualTo(sink.url("/ui/a") + "," + sink.url("/ui/b"));
        assertThat(configuration.path("event.notification.signature.key").asText()).isEqualTo("********");
        assertThat(configuration.path("event.poller.configuration").size()).isEqualTo(1);

        // the token works, and is not shown again
        browser.click("open-instance");
        browser.visible("history-list");
        assertThat(browser.driver().getPageSource()).doesNotContain(token);

        waitForFirstPoll(id);
        long eventId = egnyte.addEvent("create", "/Shared/Projects/plan.docx", false);
        WebElement delivered = eventInHistory("DELIVERED");
        assertThat(delivered.getText()).contains(String.valueOf(eventId));
        delivered.findElement(By.tagName("summary")).click();
        assertThat(browser.visible(By.cssSelector("#events .endpoint")).getText()).contains(sink.url("/ui/a"));
        assertThat(browser.all(By.cssSelector("#events .endpoint"))).hasSize(2);
        browser.screenshot("instance-detail");

        browser.click("nav-instances");
        WebElement card = browser.visible(By.cssSelector("[data-instance-id='" + id + "']"));
        assertThat(card.getText()).contains("Projects feed", "authorized", "events on", "last poll:");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.visible(By.cssSelector(
                "[data-instance-id='" + id + "'] .deliveries")).getText()).contains("0 failed"));
        browser.screenshot("instances");
    }

    @Test
    void createsAnInstanceEgnytesWebhooksRingForWithTheWebhooksScope() throws Exception {
        signIn();
        browser.click("nav-new");
        browser.visible("create-form");
        assertThat(browser.visible("f-vendor-type").getDomProperty("value")).as("the default").isEqualTo("polling");
        assertThat(browser.visible("f-vendor-type-hint").getText()).contains("doorbell", "bridge.public-base-url");
        fillCreateForm("Pushed feed", sink.url("/ui/pushed"));
        browser.choose("f-vendor-type", "webhooks");
        browser.type("f-interval", "60");
        browser.screenshot("create-form-webhooks");
        browser.click("create-instance");

        long id = Long.parseLong(browser.visible("new-id").getText());
        createdThroughUi.add(id);
        // the page asked GET /elements/egnyte/oauth/url with vendorType=webhooks: the authorize URL the bridge made
        // of it, which the browser followed to Egnyte, asks for the Egnyte.webhooks scope too
        assertThat(lastAuthorizeQuery()).contains("Egnyte.webhooks", "Egnyte.filesystem");
        JsonNode configuration = configurationOf(id);
        assertThat(configuration.path("event.vendor.type").asText()).isEqualTo("webhooks");
        assertThat(configuration.path("event.poller.refresh_interval").asText()).isEqualTo("60");

        // the edit form shows the stored choice
        browser.open(baseUrl() + "/#/instances/" + id + "/edit");
        browser.visible("edit-form");
        assertThat(browser.visible("f-vendor-type").getDomProperty("value")).isEqualTo("webhooks");
    }

    @Test
    void showsTheEgnyteWebhooksPushStateAndRegistersAgain() throws Exception {
        signIn();
        long id = createThroughUi("Push state", sink.url("/ui/push-state"), "webhooks");
        browser.click("open-instance");
        assertThat(browser.visible("vendor-type").getText()).contains("Egnyte webhooks");
        browser.visible("push-box");
        assertThat(browser.visible("push-title").getText()).isEqualTo("Push (Egnyte webhooks)");
        // whatever the simulator made of the registration, the page says what the API says
        awaitPushShownAsTheApiSaysIt(id);
        JsonNode push = JSON.readTree(get("/instances/" + id, ALICE).body()).path("push");
        WebElement expires = browser.visible("push-expires");
        if (push.path("expires").isNull()) {
            assertThat(expires.getText()).isEqualTo("—");
        } else {
            WebElement time = expires.findElement(By.tagName("time"));
            assertThat(time.getDomAttribute("datetime")).isEqualTo(push.path("expires").asText());
            assertThat(time.getDomAttribute("title")).isNotBlank();
        }
        if (push.path("lastPushAt").isNull()) {
            assertThat(browser.visible("push-last").getText()).isEqualTo("never");
        } else {
            assertThat(browser.visible("push-last").findElement(By.tagName("time")).getDomAttribute("datetime"))
                    .isEqualTo(push.path("lastPushAt").asText());
        }
        browser.screenshot("instance-push");

        // Register again: the bridge looks after the registration at once (one more call to Egnyte's webhooks API)
        int callsBefore = egnyte.requestsTo("/pubapi/v1/webhooks").size();
        browser.click("register-push");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.visible("flash").getText())
                .containsPattern("Push state: (pending|active|refused|expired|disabled|off)\\."));
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(egnyte.requestsTo("/pubapi/v1/webhooks").size()).isGreaterThan(callsBefore));
        assertThat(browser.driver().switchTo().activeElement().getDomAttribute("id"))
                .as("the keyboard stays on the button").isEqualTo("register-push");
        awaitPushShownAsTheApiSaysIt(id);
        browser.screenshot("instance-push-registered-again");

        // an answer that is an error: its message is shown (the instance is gone meanwhile)
        sendJson("DELETE", "/instances/" + id, ALICE, "");
        createdThroughUi.remove(id);
        String refusal = JSON.readTree(sendJson("POST", "/instances/" + id + "/push", ALICE, "").body())
                .path("message").asText();
        assertThat(refusal).isNotBlank();
        browser.click("register-push");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.visible("flash").getText()).isEqualTo(refusal));
        assertThat(browser.visible("flash").getDomAttribute("class")).contains("error");
    }

    @Test
    void findsInstancesByNameOrTagAndByState() throws Exception {
        long invoices = createOverApi("Invoices sync", "finance", true);
        long photos = createOverApi("Photo archive", "media", false);
        signIn();
        assertThat(browser.visible("list-summary").getText()).containsPattern("\\d+ instances: ").contains("paused");

        browser.type("f-search", "FINAN");
        assertThat(shownInstances()).containsExactly(invoices);
        assertThat(browser.visible("list-count").getText()).startsWith("Showing 1 of ");

        browser.type("f-search", "");
        browser.choose("f-state", "paused");
        assertThat(shownInstances()).contains(photos).doesNotContain(invoices);

        browser.choose("f-state", "all");
        browser.choose("f-sort", "name");
        List<Long> byName = shownInstances();
        assertThat(byName.indexOf(invoices)).isLessThan(byName.indexOf(photos));
        browser.screenshot("instances-filtered");

        browser.type("f-search", "no instance is called this");
        assertThat(browser.visible("no-match").getText()).isEqualTo("No instance matches.");
    }

    @Test
    void showsTimesRelativeWithTheExactTimeOnHover() throws Exception {
        long id = createOverApi("Timed", "ui", true);
        signIn();
        browser.open(baseUrl() + "/#/instances/" + id);
        WebElement created = browser.visible(By.cssSelector(".facts time"));
        assertThat(created.getText()).isIn("just now", "1 min ago", "2 min ago");
        assertThat(created.getDomAttribute("title")).isNotBlank().isNotEqualTo(created.getText());
        assertThat(created.getDomAttribute("datetime")).isNotBlank();
    }

    @Test
    void generatesAStandardWebhooksSignatureKeyAndCopiesIt() {
        signIn();
        browser.click("nav-new");
        browser.visible("create-form");
        browser.click("f-signature-key-generate");
        String key = browser.visible("f-signature-key").getDomProperty("value");
        assertThat(key).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(key.substring("whsec_".length()))).hasSize(32);
        browser.click("f-signature-key-generate");
        assertThat(browser.visible("f-signature-key").getDomProperty("value")).startsWith("whsec_").isNotEqualTo(key);

        browser.click("f-signature-key-copy");
        assertThat(browser.visible("f-signature-key-status").getText()).isIn("Copied.", "Press Ctrl+C to copy.");
    }

    @Test
    void retriesAFailedNotificationFromTheHistory() {
        signIn();
        long id = createThroughUi("Flaky receiver", sink.url("/ui/flaky"));
        browser.click("open-instance");
        waitForFirstPoll(id);

        sink.respondWith("/ui/flaky", 500);
        egnyte.addEvent("create", "/Shared/flaky.txt", false);
        WebElement failed = eventInHistory("FAILED");
        String failedEventId = failed.getDomAttribute("data-event-id");
        int attemptsBefore = sink.received("/ui/flaky").size();
        assertThat(attemptsBefore).isEqualTo(3);
        browser.screenshot("event-failed");

        sink.reset("/ui/flaky");
        failed.findElement(By.cssSelector("button.retry-event")).click();

        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(browser.visible(By.cssSelector(
                "#events li[data-event-id='" + failedEventId + "']")).getDomAttribute("data-status")).isEqualTo("DELIVERED"));
        List<String> sentIds = sink.received("/ui/flaky").stream()
                .map(r -> r.header("Elements-Webhook-Id")).distinct().toList();
        assertThat(sentIds).containsExactly(failedEventId);
        assertThat(sink.received("/ui/flaky")).hasSize(attemptsBefore + 1);
        browser.visible(By.cssSelector("#events li[data-event-id='" + failedEventId + "'] summary")).click();
        assertThat(browser.visible(By.cssSelector("#events li[data-event-id='" + failedEventId + "'] .attempts")).getText())
                .contains("HTTP 500", "HTTP 200");
        browser.screenshot("event-retried");
    }

    @Test
    void replaysTheNotificationsStoredSinceAChosenTime() {
        signIn();
        long id = createThroughUi("Lost its data", sink.url("/ui/replay"));
        browser.click("open-instance");
        waitForFirstPoll(id);
        egnyte.addEvent("create", "/Shared/replayed.txt", false);
        String eventId = eventInHistory("DELIVERED").getDomAttribute("data-event-id");
        assertThat(sink.received("/ui/replay")).hasSize(1);

        // no time chosen: said beside the field, nothing sent
        browser.click("replay");
        assertThat(browser.visible("replay-since-error").getText()).contains("Choose the time");
        // an hour ago, as the browser's local time the input takes
        browser.script("const at = new Date(Date.now() - 3600000); at.setMinutes(at.getMinutes() - at.getTimezoneOffset());"
                + "arguments[0].value = at.toISOString().slice(0, 19);", browser.visible("replay-since"));
        browser.click("replay");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(sink.received("/ui/replay")).hasSize(2));
        assertThat(sink.received("/ui/replay").get(1).header("Elements-Webhook-Id")).isEqualTo(eventId);
        assertThat(browser.visible("flash").getText()).contains("Replaying 1 notification (1 delivery)");
        browser.screenshot("events-replayed");
    }

    @Test
    void showsEachCallbackUrlsHealthAndEnablesADisabledOne() throws Exception {
        String healthy = sink.url("/ui/healthy");
        String gone = sink.url("/ui/gone");
        long id = createInstance(healthy + "," + gone, null).id();
        // what the delivery engine writes after a 410 Gone
        java.sql.Timestamp now = new java.sql.Timestamp(System.currentTimeMillis());
        context.getRegistry().lookupByNameAndType("jdbcTemplate", org.springframework.jdbc.core.JdbcTemplate.class)
                .update("INSERT INTO callback_target (instance_id, url, last_error, disabled_at, disabled_reason, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", id, gone, "HTTP 410", now, "endpoint gone", now);
        signIn();
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(browser.visible(By.cssSelector(
                "li.instance[data-instance-id='" + id + "']")).getText()).contains("1 callback URL disabled"));

        browser.script("location.hash = '#/instances/" + id + "';");
        WebElement disabled = browser.visible(By.cssSelector("li.callback[data-state='disabled']"));
        assertThat(disabled.getText()).contains("disabled", gone, "endpoint gone", "last error: HTTP 410");
        assertThat(browser.visible(By.cssSelector("li.callback[data-state='healthy']")).getText())
                .contains("healthy", healthy, "0 deliveries pending");
        assertThat(browser.all(By.cssSelector("button.enable-callback"))).as("only the disabled URL").hasSize(1);
        browser.screenshot("callback-disabled");

        disabled.findElement(By.cssSelector("button.enable-callback")).click();
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            assertThat(browser.all(By.cssSelector("li.callback[data-state='healthy']"))).hasSize(2);
            assertThat(browser.all(By.cssSelector("button.enable-callback"))).isEmpty();
        });
        assertThat(browser.visible("flash").getText()).contains("Enabled " + gone);
        assertThat(JSON.readTree(get("/instances/" + id, ALICE).body()).path("callbacks").get(1).path("state").asText())
                .isEqualTo("healthy");
    }

    @Test
    void showsHowOftenAnInstanceIsReallyPolledItsEgnyteCallsAndItsGaps() throws Exception {
        long id = createInstance(sink.url("/ui/facts"), null).id();
        // what the poller stores when Egnyte no longer knows the cursor
        context.getRegistry().lookupByNameAndType("jdbcTemplate", org.springframework.jdbc.core.JdbcTemplate.class)
                .update("INSERT INTO event_gap (instance_id, resource, from_cursor, to_cursor, reason, detected_at, notified) "
                        + "VALUES (?, 'events', '41', '97', 'CURSOR_AGED_OUT', ?, false)",
                        id, new java.sql.Timestamp(System.currentTimeMillis()));
        try {
            signIn();

            browser.script("location.hash = '#/instances/" + id + "';");

            assertThat(browser.visible("effective-interval").getText()).startsWith("1 s");
            assertThat(browser.visible("daily-budget").getText()).contains("no daily budget");
            assertThat(browser.visible("gaps").getText()).contains("1 time events may have been lost at Egnyte",
                    "events from cursor 41 to 97", "CURSOR_AGED_OUT");
            browser.screenshot("instance-budget-and-gaps");
        } finally {
            // the other tests start from an empty list
            sendJson("DELETE", "/instances/" + id, ALICE, "");
        }
    }

    @Test
    void drawsTheLast24HoursAsAChartAndFiltersAndPagesTheHistory() throws Exception {
        long id = createInstance(sink.url("/ui/chart"), null).id();
        org.springframework.jdbc.core.JdbcTemplate jdbc =
                context.getRegistry().lookupByNameAndType("jdbcTemplate", org.springframework.jdbc.core.JdbcTemplate.class);
        java.time.Instant now = java.time.Instant.now();
        // what the delivery engine stores: 25 notifications delivered over the last hours, 3 older ones dead-lettered
        for (int i = 0; i < 28; i++) {
            boolean failed = i >= 25;
            java.time.Instant created = failed ? now.minus(Duration.ofDays(4)) : now.minus(Duration.ofHours(1 + i % 18));
            java.time.Instant attempted = failed ? now.minus(Duration.ofHours(2)) : created;
            String eventId = java.util.UUID.randomUUID().toString();
            jdbc.update("INSERT INTO notification (event_id, instance_id, resource, object_count, body, created_at) "
                    + "VALUES (?, ?, 'events', 1, '{}', ?)", eventId, id, java.sql.Timestamp.from(created));
            jdbc.update("INSERT INTO delivery (event_id, instance_id, endpoint_url, status, attempts, next_attempt_at, "
                            + "updated_at, origin) VALUES (?, ?, 'http://127.0.0.1:9/hook', ?, 1, ?, ?, 'http://127.0.0.1:9')",
                    eventId, id, failed ? "FAILED" : "DELIVERED", java.sql.Timestamp.from(attempted),
                    java.sql.Timestamp.from(attempted));
            jdbc.update("INSERT INTO delivery_attempt (delivery_id, attempted_at, http_status, duration_ms) "
                            + "VALUES ((SELECT id FROM delivery WHERE event_id = ?), ?, ?, 7)",
                    eventId, java.sql.Timestamp.from(attempted), failed ? 500 : 200);
        }
        try {
            signIn();
            browser.script("location.hash = '#/instances/" + id + "';");

            // the chart: solid bars delivered, hatched bars failed, a title, a description and a text summary
            WebElement chart = browser.visible("activity-svg");
            assertThat(chart.getDomAttribute("role")).isEqualTo("img");
            assertThat(browser.script("return document.getElementById('activity-svg-title').textContent;"))
                    .isEqualTo("Deliveries per hour over the last 24 hours");
            assertThat(browser.visible("activity-summary").getText())
                    .startsWith("In the last 24 hours: 25 deliveries delivered, 3 failed (in 1 hour)");
            assertThat(browser.script("return document.getElementById('activity-svg-desc').textContent;").toString())
                    .contains("25 deliveries delivered, 3 failed", "Solid bars: delivered; hatched bars: failed.");
            assertThat(browser.all(By.cssSelector("#activity-svg g.hour"))).hasSize(24);
            assertThat(browser.all(By.cssSelector("#activity-svg rect.bar-delivered"))).hasSize(18);
            List<WebElement> failedBars = browser.all(By.cssSelector("#activity-svg rect.bar-failed"));
            assertThat(failedBars).hasSize(1);
            assertThat(failedBars.get(0).getDomAttribute("fill")).isEqualTo("url(#hatch-failed)");
            // how late the polls started: the instance polls every second, so this hour has a dot
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() ->
                    assertThat(browser.all(By.cssSelector("#lag-svg circle.lag-dot"))).isNotEmpty());
            assertThat(browser.visible("lag-summary").getText()).startsWith("Poll lag. Polls started at most");

            // the history: 28 notifications, 20 a page, counted over all pages
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(browser.visible("history-count")
                    .getText()).isEqualTo("Showing 1–20 of 28 notifications · page 1 of 2"));
            assertThat(browser.all(By.cssSelector("#events li.event"))).hasSize(20);
            browser.click("older-events");
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
                assertThat(browser.visible("history-count").getText()).isEqualTo("Showing 21–28 of 28 notifications · page 2 of 2");
                assertThat(browser.all(By.cssSelector("#events li.event"))).hasSize(8);
            });
            assertThat(browser.all(By.id("older-events"))).as("no page after the last").isEmpty();

            // by status: back to the first page, only the failed ones
            browser.choose("h-status", "FAILED");
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
                assertThat(browser.visible("history-count").getText())
                        .isEqualTo("Showing 1–3 of 3 matching notifications · page 1 of 1");
                assertThat(browser.all(By.cssSelector("#events li.event"))).hasSize(3)
                        .allSatisfy(li -> assertThat(li.getDomAttribute("data-status")).isEqualTo("FAILED"));
            });
            browser.screenshot("instance-activity-and-filters");

            // by days: up to two days ago holds only the three failed ones; from today to two days ago is refused
            java.time.LocalDate today = java.time.LocalDate.now();
            browser.choose("h-status", "");
            browser.choose("h-to", today.minusDays(2).toString());
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
                assertThat(browser.visible("history-count").getText()).startsWith("Showing 1–3 of 3 matching notifications");
                assertThat(browser.all(By.cssSelector("#events li.event"))).hasSize(3);
            });
            browser.choose("h-from", today.toString());
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
                assertThat(browser.visible("h-to-error").getText()).isEqualTo("To: must not be before From.");
                assertThat(browser.visible("h-to").getDomAttribute("aria-invalid")).isEqualTo("true");
            });
            browser.screenshot("history-filter-error");
            browser.click("clear-filters");
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(browser.visible("history-count")
                    .getText()).isEqualTo("Showing 1–20 of 28 notifications · page 1 of 2"));
        } finally {
            // the other tests start from an empty list
            sendJson("DELETE", "/instances/" + id, ALICE, "");
        }
    }

    @Test
    void editsPausesResumesAndDeletesAnInstance() throws Exception {
        signIn();
        long id = createThroughUi("Before edit", sink.url("/ui/edit"));
        browser.click("open-instance");
        browser.visible("edit-instance").click();
        browser.visible("edit-form");
        browser.type("f-name", "After edit");
        browser.type("f-interval", "0.5");
        // a plain-text key works, but the API warns that Standard Webhooks libraries need whsec_ keys: the page says so
        browser.type("f-signature-key", "a-plain-text-key");
        browser.click("save-instance");
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(
                browser.driver().findElement(By.cssSelector("main h1")).getText()).isEqualTo("After edit"));
        assertThat(browser.visible("flash").getText()).contains("Saved", "is not a whsec_ key");
        JsonNode edited = JSON.readTree(get("/instances/" + id, ALICE).body());
        assertThat(edited.path("name").asText()).isEqualTo("After edit");
        assertThat(edited.path("configuration").path("event.poller.refresh_interval").asDouble()).isEqualTo(0.5);

        browser.visible("toggle-events").click();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.visible("events-state").getText()).contains("off"));
        assertThat(JSON.readTree(get("/instances/" + id, ALICE).body()).path("eventsEnabled").asBoolean()).isFalse();
        assertThat(browser.visible("toggle-events").getText()).isEqualTo("Resume polling");
        browser.screenshot("instance-paused");

        browser.visible("toggle-events").click();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.visible("events-state").getText()).isEqualTo("on"));
        assertThat(JSON.readTree(get("/instances/" + id, ALICE).body()).path("eventsEnabled").asBoolean()).isTrue();

        browser.click("delete-instance");
        assertThat(browser.driver().switchTo().activeElement().getDomAttribute("id")).isEqualTo("cancel-delete");
        browser.click("confirm-delete");
        browser.visible("no-instances");
        assertThat(browser.visible("flash").getText()).contains("Deleted \"After edit\"");
        assertThat(get("/instances/" + id, ALICE).statusCode()).isEqualTo(404);
        createdThroughUi.remove(id);
    }

    @Test
    void showsApiErrorsNextToTheFieldsTheyConcern() throws Exception {
        signIn();
        browser.click("nav-new");
        fillCreateForm("Bad subdomain", sink.url("/ui/errors"));
        browser.type("f-subdomain", "not a label!");
        browser.click("create-instance");
        assertThat(browser.visible("f-subdomain-error").getText()).containsIgnoringCase("subdomain");
        assertThat(browser.visible("f-subdomain").getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.driver().switchTo().activeElement().getDomAttribute("id")).isEqualTo("f-subdomain");

        // an error only POST /instances finds, after Egnyte's redirect: the form comes back with the error beside it
        // (the page cannot check a java.time pattern; the API can)
        browser.type("f-subdomain", "acme");
        WebElement format = browser.visible(By.cssSelector(".resource .resource-updated-format"));
        format.clear();
        format.sendKeys("yyyy-MM-ddTHH");
        browser.click("create-instance");
        // the page came back from Egnyte: a new form, filled from what was typed
        await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.visible("flash").getText().contains("not created"));
        String formatId = browser.visible(By.cssSelector(".resource .resource-updated-format")).getDomAttribute("id");
        WebElement error = browser.visible(By.id(formatId + "-error"));
        assertThat(browser.driver().switchTo().activeElement().getDomAttribute("id")).isEqualTo(formatId);
        assertThat(error.getText()).contains("updatedDateFormat", "not a valid date pattern");
        assertThat(browser.visible("flash").getText()).contains("not created");
        assertThat(browser.visible("f-name").getDomProperty("value")).isEqualTo("Bad subdomain");
        browser.screenshot("create-error");
        assertThat(JSON.readTree(get("/instances", ALICE).body()).size()).isZero();

        // fixed, it goes through
        WebElement again = browser.visible(By.cssSelector(".resource .resource-updated-format"));
        again.clear();
        again.sendKeys("yyyy-MM-dd'T'HH:mm:ss.SSSX");
        browser.click("create-instance");
        createdThroughUi.add(Long.parseLong(browser.visible("new-id").getText()));
    }

    @Test
    void buildsTheSeedsResourceFieldByFieldAndRoundTripsItsJson() throws Exception {
        signIn();
        browser.click("nav-new");
        fillCreateForm("Field by field", sink.url("/ui/fields"));
        // start from nothing: the JSON view empties the fields
        browser.visible(By.cssSelector(".resource .advanced summary")).click();
        WebElement json = browser.visible(By.cssSelector(".resource .resource-json"));
        json.clear();
        json.sendKeys("{}");
        assertThat(browser.visible(By.cssSelector(".resource .resource-id-field")).getDomProperty("value")).isEmpty();

        // a path that is not Egnyte's is refused while typing, with the API's words
        String resource = ".resource[data-resource='1'] ";
        browser.choose(browser.visible(By.cssSelector(resource + ".resource-source")).getDomAttribute("id"), "path");
        typeInto(resource + ".resource-url", "/not/an/egnyte/path");
        String urlId = browser.visible(By.cssSelector(resource + ".resource-url")).getDomAttribute("id");
        assertThat(browser.visible(urlId + "-error").getText())
                .isEqualTo("url must be /hubs/documents/events or an Egnyte /pubapi/ path");

        browser.choose(browser.visible(By.cssSelector(resource + ".resource-source")).getDomAttribute("id"), "events");
        typeInto(resource + ".resource-id-field", "event_object_id");
        typeInto(resource + ".resource-updated-field", "event_date");
        typeInto(resource + ".resource-updated-format", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
        typeInto(resource + ".resource-updated-timezone", "GMT");
        typeInto(resource + ".resource-created-field", "event_date");
        typeInto(resource + ".resource-created-format", "yyyy-MM-dd'T'HH:mm:ss.SSSX'");
        typeInto(resource + ".resource-created-timezone", "GMT");
        JsonNode seed = dev.egnytebridge.instance.ResourceConfig.seedEventsResource();
        assertThat(JSON.readTree(json.getDomProperty("value"))).isEqualTo(seed);
        browser.screenshot("resource-editor");

        // the folder filter goes into the url as Egnyte's query parameter, and comes back from the JSON
        typeInto(resource + ".resource-folder", "/Shared/Projects");
        assertThat(JSON.readTree(json.getDomProperty("value")).path("url").asText())
                .isEqualTo("/hubs/documents/events?folder=/Shared/Projects");
        typeInto(resource + ".resource-folder", "");

        browser.click("create-instance");
        long id = Long.parseLong(browser.visible("new-id").getText());
        createdThroughUi.add(id);
        JsonNode stored = JSON.readTree(get("/instances/" + id, ALICE).body())
                .path("configuration").path("event.poller.configuration").path("events");
        assertThat(stored).isEqualTo(seed);
    }

    @Test
    void showsMarkupInNamesAndTagsAsText() {
        signIn();
        String name = "<img id=injected src=x onerror=\"document.title='owned'\"><b>bold</b>";
        browser.click("nav-new");
        browser.visible("create-form");
        fillCreateForm(name, sink.url("/ui/markup"));
        browser.type("f-tags", "<script>document.title='owned'</script>");
        browser.click("create-instance");
        long id = Long.parseLong(browser.visible("new-id").getText());
        createdThroughUi.add(id);

        for (String view : new String[] {"#/", "#/instances/" + id, "#/instances/" + id + "/edit"}) {
            browser.open(baseUrl() + "/" + view);
            browser.visible(By.cssSelector("main h1"));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.mainText()).contains(name));
            assertThat(browser.all(By.cssSelector("#injected, main b, main script"))).as(view).isEmpty();
            assertThat(browser.driver().getTitle()).isEqualTo("Egnyte Events Bridge");
        }
    }

    @Test
    void fitsAPhoneScreen() throws Exception {
        signIn();
        long id = createThroughUi("Phone view", sink.url("/ui/phone"));
        browser.resize(BrowserSession.PHONE);
        for (String view : new String[] {"#/", "#/new", "#/instances/" + id}) {
            browser.open(baseUrl() + "/" + view);
            browser.visible(By.cssSelector("main h1"));
            Number overflow = (Number) browser.script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(overflow.intValue()).as("horizontal overflow of %s", view).isLessThanOrEqualTo(0);
        }
        browser.screenshot("phone-detail");
        browser.open(baseUrl() + "/#/new");
        browser.visible("create-form");
        browser.screenshot("phone-create-form");
        assertThat(Files.size(BrowserSession.SCREENSHOTS.resolve("phone-create-form.png"))).isPositive();
    }

    // ------------------------------------------------------------------ steps

    private void signIn() {
        browser.type("f-user-secret", ALICE_SECRET);
        browser.type("f-org-secret", ORG_SECRET);
        browser.click("sign-in");
        browser.visible(By.cssSelector("main h1"));
        await().atMost(PATIENCE).until(() -> browser.driver().findElement(By.cssSelector("main h1")).getText()
                .equals("Instances"));
    }

    private void fillCreateForm(String name, String callbackUrl) {
        browser.type("f-name", name);
        browser.type("f-subdomain", "acme");
        browser.type("f-api-key", "ui-api-key");
        browser.type("f-api-secret", "ui-api-secret");
        // one second: the poller's shortest interval in these tests
        browser.type("f-interval", "0.0167");
        WebElement firstUrl = browser.visible(By.cssSelector(".callback-url"));
        firstUrl.clear();
        firstUrl.sendKeys(callbackUrl);
    }

    /** Fills the form, goes through Egnyte's consent redirect and returns the new instance's id. */
    private long createThroughUi(String name, String callbackUrl) {
        return createThroughUi(name, callbackUrl, "polling");
    }

    /** As above, with how Egnyte tells the bridge about events (event.vendor.type: polling or webhooks). */
    private long createThroughUi(String name, String callbackUrl, String vendorType) {
        browser.click("nav-new");
        browser.visible("create-form");
        fillCreateForm(name, callbackUrl);
        browser.choose("f-vendor-type", vendorType);
        browser.click("create-instance");
        long id = Long.parseLong(browser.visible("new-id").getText());
        createdThroughUi.add(id);
        return id;
    }

    /** An instance made over the REST API for one test, deleted after it like those made through the page. */
    private long createOverApi(String name, String tag, boolean eventsOn) throws Exception {
        egnyte.acceptAnyCode(true);
        ObjectNode body = dev.egnytebridge.InstanceRequestBody.of(name, tag, "code-" + System.nanoTime(),
                sink.url("/ui/" + tag), null, "15", eventsResource("/hubs/documents/events"));
        ((ObjectNode) body.get("configuration")).put("event.notification.enabled", eventsOn);
        HttpResponse<String> answer = sendJson("POST", "/instances", ALICE, JSON.writeValueAsString(body));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        long id = JSON.readTree(answer.body()).path("id").asLong();
        createdThroughUi.add(id);
        return id;
    }

    /** The query of the last authorize request the browser made at Egnyte (GET /puboauth/token). */
    private String lastAuthorizeQuery() {
        List<dev.egnytebridge.sandbox.RecordedRequest> authorize = egnyte.requestsTo("/puboauth/token").stream()
                .filter(r -> r.method().equals("GET")).toList();
        assertThat(authorize).isNotEmpty();
        return java.net.URLDecoder.decode(authorize.get(authorize.size() - 1).query(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private JsonNode configurationOf(long id) throws Exception {
        return JSON.readTree(get("/instances/" + id, ALICE).body()).path("configuration");
    }

    /** The push section shows the state and reason GET /instances/{id} answers (both may move on meanwhile). */
    private void awaitPushShownAsTheApiSaysIt(long id) {
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            JsonNode push = JSON.readTree(get("/instances/" + id, ALICE).body()).path("push");
            assertThat(push.isObject()).as("GET /instances/%d has push", id).isTrue();
            String state = push.path("state").asText();
            assertThat(browser.visible("push-box").getDomAttribute("data-state")).isEqualTo(state);
            assertThat(browser.visible(By.cssSelector("#push-state .badge")).getText()).isEqualTo(state);
            assertThat(browser.visible("push-reason").getText())
                    .isEqualTo(push.path("reason").isNull() ? "—" : push.path("reason").asText());
            assertThat(browser.visible("push-webhook-id").getText()).isEqualTo(push.path("webhookId").isNull()
                    ? "none (not registered)" : push.path("webhookId").asText());
        });
    }

    private void typeInto(String css, String text) {
        WebElement input = browser.visible(By.cssSelector(css));
        input.clear();
        input.sendKeys(text);
        if (text.isEmpty()) {
            // clear() alone sends no input event: the page would not hear that the field is now empty
            browser.script("arguments[0].dispatchEvent(new Event('input'));", input);
        }
    }

    /** The ids of the instances the list shows, top to bottom, once it has settled. */
    private List<Long> shownInstances() {
        return await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.all(By.cssSelector("li.instance"))
                .stream().filter(WebElement::isDisplayed)
                .map(li -> Long.parseLong(li.getDomAttribute("data-instance-id"))).toList(), ids -> !ids.isEmpty());
    }

    /** Events added before an instance's first poll are before its cursor: wait until it has one. */
    private void waitForFirstPoll(long id) {
        await().atMost(PATIENCE).until(() -> {
            HttpResponse<String> instance = get("/instances/" + id, ALICE);
            return !JSON.readTree(instance.body()).path("poller").path("lastPollDate").isNull();
        });
    }

    /** The newest notification in the detail view's history once it has this status (the view refreshes itself). */
    private WebElement eventInHistory(String status) {
        return await().atMost(PATIENCE).ignoreExceptions().until(
                () -> browser.driver().findElement(By.cssSelector("#events li.event")),
                li -> status.equals(li.getDomAttribute("data-status")));
    }
}
