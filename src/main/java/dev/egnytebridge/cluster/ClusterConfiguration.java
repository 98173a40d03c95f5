package dev.egnytebridge.cluster;

import javax.sql.DataSource;

import dev.egnytebridge.config.BridgeSettings;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** Binds {@code clusterNode}, this process among the nodes sharing the database, and {@code clusterSignals}. */
public class ClusterConfiguration implements CamelConfiguration {

    @BindToRegistry(value = "clusterNode", lazy = true)
    public ClusterNode clusterNode(@BeanInject("bridgeSettings") BridgeSettings settings,
                                   @BeanInject("bridgeDataSource") DataSource dataSource) {
        return ClusterNode.of(settings, dataSource);
    }

    /** Started with the context: listens for the other nodes' signals in cluster mode (idle otherwise). */
    @BindToRegistry(value = "clusterSignals", lazy = true)
    public ClusterSignals clusterSignals(CamelContext context,
                                         @BeanInject("clusterNode") ClusterNode node,
                                         @BeanInject("bridgeDataSource") DataSource dataSource) throws Exception {
        ClusterSignals signals = new ClusterSignals(dataSource, node);
        context.addService(signals, true, true);
        return signals;
    }
}
