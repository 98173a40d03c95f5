package dev.egnytebridge.store;

import javax.sql.DataSource;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** Embedded: the host's DataSource, whose schema BridgeEmbedding has migrated; the host opens and closes it. */
public class HostDataSourceConfiguration implements CamelConfiguration {

    private final DataSource hostDataSource;

    public HostDataSourceConfiguration(DataSource hostDataSource) {
        this.hostDataSource = hostDataSource;
    }

    @BindToRegistry(value = "bridgeDataSource", lazy = true)
    public DataSource bridgeDataSource() {
        return hostDataSource;
    }
}
