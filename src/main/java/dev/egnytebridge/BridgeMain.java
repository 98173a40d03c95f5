package dev.egnytebridge;

import org.apache.camel.main.Main;

/**
 * Runs the bridge standalone on Camel Main: the routes in {@code routes/}, the defaults in {@code application.properties}
 * (the copy inside the jar, overridden by the one in the working directory), then -D system properties and environment
 * variables.
 */
public final class BridgeMain {

    private BridgeMain() {
    }

    public static void main(String... args) throws Exception {
        Main main = new Main();
        BridgeConfiguration.addTo(main.configure());
        main.setDefaultPropertyPlaceholderLocation(BridgeConfiguration.PROPERTY_LOCATIONS);
        main.run(args);
    }
}
