package dev.egnytebridge.customize;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** Binds {@code notificationFields}, for routes a user edits. */
public class CustomizeConfiguration implements CamelConfiguration {

    @BindToRegistry(value = "notificationFields", lazy = true)
    public NotificationFields notificationFields(@BeanInject("bridgeObjectMapper") ObjectMapper mapper) {
        return new NotificationFields(mapper);
    }
}
