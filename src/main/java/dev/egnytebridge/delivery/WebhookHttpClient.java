package dev.egnytebridge.delivery;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Configures the HTTP client that POSTs notifications: one request per attempt, nothing more. Apache HttpClient
 * would otherwise re-send a request by itself (on 429/503 with Retry-After, and on some I/O errors), which the outbox
 * would never see: every attempt must be one recorded attempt, retried on the bridge's own schedule.
 */
public class WebhookHttpClient implements HttpClientConfigurer {

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
        builder.disableRedirectHandling();
        builder.disableCookieManagement();
    }
}
