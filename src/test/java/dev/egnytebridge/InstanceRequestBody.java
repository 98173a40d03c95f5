package dev.egnytebridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The seed's POST /instances body, events on, as the tests that create instances over the REST API send it. */
public final class InstanceRequestBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InstanceRequestBody() {
    }

    /**
     * @param signatureKey     null for unsigned notifications
     * @param refreshInterval  {@code event.poller.refresh_interval}, in minutes
     * @param resources        {@code event.poller.configuration}
     */
    public static ObjectNode of(String name, String tag, String code, String callbackUrls, String signatureKey,
                                String refreshInterval, ObjectNode resources) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("element").put("key", "egnyte");
        body.putObject("providerData").put("code", code);
        ObjectNode configuration = body.putObject("configuration");
        configuration.put("oauth.callback.url", "https://myapp.example.com/oauth");
        configuration.put("oauth.api.key", "key");
        configuration.put("oauth.api.secret", "secret");
        configuration.put("subdomain", "acme");
        configuration.put("event.notification.enabled", true);
        configuration.put("event.notification.callback.url", callbackUrls);
        if (signatureKey != null) {
            configuration.put("event.notification.signature.key", signatureKey);
        }
        configuration.put("event.poller.refresh_interval", refreshInterval);
        configuration.set("event.poller.configuration", resources);
        body.putArray("tags").add(tag);
        body.put("name", name);
        return body;
    }
}
