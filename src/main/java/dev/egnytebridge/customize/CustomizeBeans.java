package dev.egnytebridge.customize;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.spi.Registry;

/** Binds {@code notificationFields}, for routes a user edits. */
public final class CustomizeBeans {

    private CustomizeBeans() {
    }

    public static void bind(Registry registry, ObjectMapper mapper) {
        registry.bind("notificationFields", new NotificationFields(mapper));
    }
}
