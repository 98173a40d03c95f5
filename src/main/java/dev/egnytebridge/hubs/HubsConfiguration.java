package dev.egnytebridge.hubs;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** Binds {@code hubEvents}, the bean of routes/hubs-api.yaml. */
public class HubsConfiguration implements CamelConfiguration {

    @BindToRegistry(value = "hubEvents", lazy = true)
    public HubEvents hubEvents() {
        return new HubEvents();
    }
}
