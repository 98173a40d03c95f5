package dev.egnytebridge.instance;

import java.net.http.HttpResponse;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.poller.PollerScheduler;
import dev.egnytebridge.sandbox.EgnyteSimulator;
import org.junit.jupiter.api.AfterAll;

/**
 * The bridge against the Egnyte simulator on loopback (any authorization code is granted to the seed's OAuth client;
 * a wrong client secret is refused), with the log captured from before the context starts.
 */
public abstract class InstanceApiTestSupport extends BridgeTestSupport {

    /** MISSION.md's request with its placeholders filled in (string interval, stray quote in createdDateFormat). */
    public static final String SEED_EXAMPLE = """
            {
              "element": {"key": "egnyte"},
              "providerData": {"code": "%s"},
              "configuration": {
                "oauth.callback.url": "https://myapp.example.com/oauth/callback",
                "oauth.api.key": "consumer-key-123",
                "oauth.api.secret": "%s",
                "subdomain": "acme",
                "event.notification.enabled": true,
                "event.notification.callback.url": "http://mycoolapp.com",
                "event.notification.signature.key": "%s",
                "event.poller.refresh_interval": "15",
                "event.poller.configuration": {
                  "events": {
                    "url": "/hubs/documents/events",
                    "idField": "event_object_id",
                    "datesConfiguration": {
                      "updatedDateField": "event_date", "updatedDateFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSX", "updatedDateTimezone": "GMT",
                      "createdDateField": "event_date", "createdDateFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSX'", "createdDateTimezone": "GMT"
                    }
                  }
                }
              },
              "tags": ["Test"],
              "name": "API_Polling"
            }
            """;
    public static final String API_SECRET = "consumer-secret-7c1d2e9f";
    public static final String SIGNATURE_KEY = "signature-key-5b8a3f10";

    public static final ObjectMapper JSON = new ObjectMapper();

    protected final CapturedLog log = new CapturedLog();
    protected final EgnyteSimulator egnyte = new EgnyteSimulator().start()
            .acceptAnyCode(true)
            .expectClient("consumer-key-123", API_SECRET);

    @Override
    protected Properties overrides() {
        Properties p = super.overrides();
        p.setProperty("egnyte.base-url", egnyte.baseUrl());
        return p;
    }

    @AfterAll
    void closeFakes() {
        egnyte.close();
        log.close();
    }

    public static String seed(String code) {
        return SEED_EXAMPLE.formatted(code, API_SECRET, SIGNATURE_KEY);
    }

    /** The seed example with a client secret Egnyte does not know: the code exchange is refused. */
    public static String seedWithWrongClientSecret(String code) {
        return SEED_EXAMPLE.formatted(code, "wrong-client-secret", SIGNATURE_KEY);
    }

    /** The access token Egnyte grants for a code. */
    public static String accessTokenFor(String code) {
        return EgnyteSimulator.tokenForCode(code);
    }

    public PollerScheduler pollers() {
        return context.getRegistry().lookupByNameAndType("pollerScheduler", PollerScheduler.class);
    }

    public HttpResponse<String> create(String authorization, String body) {
        return sendJson("POST", "/instances", authorization, body);
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + response.body(), e);
        }
    }

    public long count() {
        Long n = jdbc().queryForObject("SELECT COUNT(*) FROM element_instance", Long.class);
        return n == null ? 0 : n;
    }

    public org.springframework.jdbc.core.JdbcTemplate jdbc() {
        return context.getRegistry().lookupByNameAndType("jdbcTemplate", org.springframework.jdbc.core.JdbcTemplate.class);
    }

    /** From now on no new instance can be given a place in the poll schedule: the database refuses it. */
    public void refuseScheduling() {
        // instances stored so far keep being scheduled; a local timestamp, as the bridge writes created_date
        String now = new java.sql.Timestamp(System.currentTimeMillis()).toString();
        jdbc().execute("ALTER TABLE element_instance ADD CONSTRAINT " + NO_SCHEDULE
                + " CHECK (next_poll_at IS NULL OR created_date < TIMESTAMP '" + now + "')");
    }

    public void allowScheduling() {
        jdbc().execute("ALTER TABLE element_instance DROP CONSTRAINT " + NO_SCHEDULE);
    }

    private static final String NO_SCHEDULE = "test_refuses_scheduling";
}
