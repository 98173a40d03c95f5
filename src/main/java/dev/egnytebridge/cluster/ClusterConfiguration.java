package dev.egnytebridge.cluster;

import javax.sql.DataSource;

import dev.egnytebridge.config.BridgeSettings;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** Binds {@code clusterNode}: this process among the nodes sharing the database. */
public class ClusterConfiguration implements CamelConfiguration {

    @BindToRegistry(value = "clusterNode", lazy = true)
    public ClusterNode clusterNode(@BeanInject("bridgeSettings") BridgeSettings settings,
                                   @BeanInject("bridgeDataSource") DataSource dataSource) {
        return ClusterNode.of(settings, dataSource);
    }
}
