package dev.egnytebridge.ui;

import org.apache.camel.spi.Registry;

/** Binds the web UI's bean: {@code uiAssets}, which routes/web-ui.yaml calls. */
public final class UiBeans {

    private UiBeans() {
    }

    public static void bind(Registry registry) {
        registry.bind("uiAssets", new UiAssets(UiAssets.class.getClassLoader(), "web/"));
    }
}
