package dev.egnytebridge.cluster;

import java.util.Properties;

import javax.sql.DataSource;

import dev.egnytebridge.BridgeSettings;
import dev.egnytebridge.store.DatabaseProduct;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code bridge.cluster.enabled=true}, replaces camel-quartz's in-memory job store by Quartz's clustered JDBC job
 * store on the bridge's own PostgreSQL database (tables from V2__quartz_job_store.sql). Every node then keeps the same
 * poller routes, and Quartz fires each instance's job on exactly one node at a time; a node that stops checking in is
 * failed over by the others. With clustering off nothing is bound and camel-quartz keeps its RAMJobStore.
 */
public final class ClusterBeans {

    /** Quartz's scheduler name: the same on every node, since it is the cluster's key in the QRTZ_ tables. */
    public static final String SCHEDULER_NAME = "EgnyteEventsBridge";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBeans.class);

    private ClusterBeans() {
    }

    public static void bind(CamelContext context, BridgeSettings settings, DataSource dataSource) {
        if (!settings.clusterEnabled()) {
            return;
        }
        // the DataSource, not bridge.datasource.url: an embedding host brings its own
        if (!DatabaseProduct.isPostgres(dataSource)) {
            throw new IllegalArgumentException("bridge.cluster.enabled=true needs a PostgreSQL database: set "
                    + "bridge.datasource.url to a jdbc:postgresql://host/database URL shared by every node");
        }
        // Quartz looks its data source up by name in a JVM-wide registry: one name per CamelContext
        String dataSourceName = "bridge-" + Integer.toHexString(System.identityHashCode(context));
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new BridgeConnectionProvider(dataSource));

        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(quartzProperties(settings, dataSourceName));
        // every node must use the same scheduler name, not one suffixed with its CamelContext's name
        quartz.setPrefixInstanceName(false);
        // started by PollerScheduler.restoreAll once this node has every instance's poller route
        quartz.setAutoStartScheduler(false);
        context.addComponent("quartz", quartz);

        int threads = settings.clusterPollerThreads();
        if (settings.datasourceMaxPoolSize() < threads + 4) {
            LOG.warn("bridge.datasource.max-pool-size={} is small for bridge.cluster.poller-threads={}: polls and "
                    + "Quartz's own bookkeeping may wait for connections (use at least {})",
                    settings.datasourceMaxPoolSize(), threads, threads + 4);
        }
        LOG.info("Cluster mode: Quartz clustered job store on the bridge database, check-in every {} ms, {} poller threads",
                settings.clusterCheckinIntervalMs(), threads);
    }

    static Properties quartzProperties(BridgeSettings settings, String dataSourceName) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(settings.clusterPollerThreads()));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(settings.clusterCheckinIntervalMs()));
        return p;
    }
}
