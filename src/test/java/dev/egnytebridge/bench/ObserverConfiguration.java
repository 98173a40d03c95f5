package dev.egnytebridge.bench;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** Installs a fresh {@link PollObserver} while Camel Main configures the context, before it starts. */
public class ObserverConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camelContext) {
        PollObserver.installIn(camelContext);
    }
}
