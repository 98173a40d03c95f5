package dev.egnytebridge.ui;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** Binds the web UI's bean: {@code uiAssets}, which routes/web-ui.yaml calls. */
public class UiConfiguration implements CamelConfiguration {

    @BindToRegistry(value = "uiAssets", lazy = true)
    public UiAssets uiAssets() {
        return new UiAssets(UiAssets.class.getClassLoader(), "web/");
    }
}
