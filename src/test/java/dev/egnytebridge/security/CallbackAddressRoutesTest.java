package dev.egnytebridge.security;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egnytebridge.instance.InstanceApiTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The callback address policy at the REST API, with its default: private addresses refused. */
class CallbackAddressRoutesTest extends InstanceApiTestSupport {

    private static final String FIELD = "configuration.event.notification.callback.url";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "http://127.0.0.1:8080/hook",            // loopback
            "http://[::1]:8080/hook",                // loopback IPv6
            "http://localhost/hook",                 // loopback by name
            "http://10.1.2.3/hook",                  // private 10/8
            "http://172.16.5.4/hook",                // private 172.16/12
            "https://192.168.0.10/hook",             // private 192.168/16
            "http://[fd00::1]/hook",                 // unique local fc00::/7
            "http://169.254.10.10/hook",             // link-local
            "http://[fe80::1]/hook",                 // link-local IPv6
            "http://0.0.0.0/hook",                   // unspecified
            "http://[::]/hook",                      // unspecified IPv6
            "http://224.0.0.251/hook",               // multicast
            "http://[ff02::1]/hook",                 // multicast IPv6
            "http://100.64.1.1/hook",                // CGNAT 100.64/10
            "http://169.254.169.254/latest/meta-data/",  // AWS, GCP, Azure metadata
            "http://[fd00:ec2::254]/latest/meta-data/",  // AWS metadata IPv6
            "http://metadata.google.internal/computeMetadata/v1/",
            "http://[::ffff:10.0.0.1]/hook"})        // IPv4-mapped private
    void rejectsCallbackOnPrivateAddress(String callback) throws Exception {
        long before = count();
        HttpResponse<String> created = create(ALICE, seedWithCallback("https://hooks.example.com/a," + callback));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(400);
        assertThat(json(created).get("field").asText()).isEqualTo(FIELD);
        assertThat(json(created).get("message").asText()).contains("bridge.callbacks.allow-private-addresses");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void rejectsAPrivateCallbackInAPatchAndKeepsTheStoredOne() throws Exception {
        HttpResponse<String> created = create(ALICE, seed("patch-private-code"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = json(created).get("id").asText();

        HttpResponse<String> patched = sendJson("PATCH", "/instances/" + id, ALICE,
                "{\"configuration\": {\"event.notification.callback.url\": \"http://169.254.169.254/latest/meta-data/\"}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(400);
        assertThat(json(patched).get("field").asText()).isEqualTo(FIELD);

        JsonNode stored = json(get("/instances/" + id, ALICE));
        assertThat(stored.at("/configuration/event.notification.callback.url").asText()).isEqualTo("http://mycoolapp.com");
    }

    @Test
    void acceptsAPublicCallbackName() throws Exception {
        HttpResponse<String> created = create(ALICE, seedWithCallback("https://hooks.example.com/in?token=abc"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    private static String seedWithCallback(String callback) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(seed("code-" + Math.abs(callback.hashCode())));
        ((ObjectNode) body.get("configuration")).put("event.notification.callback.url", callback);
        return JSON.writeValueAsString(body);
    }
}
