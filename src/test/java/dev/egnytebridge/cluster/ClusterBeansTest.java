package dev.egnytebridge.cluster;

import java.util.Properties;

import javax.sql.DataSource;

import dev.egnytebridge.BridgeSettings;
import org.apache.camel.impl.DefaultCamelContext;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterBeansTest {

    private static DefaultCamelContext contextWith(String... keyValues) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        context.getPropertiesComponent().setOverrideProperties(p);
        return context;
    }

    private static final DataSource NO_DATABASE = null;

    @Test
    void leavesQuartzAloneWhenClusteringIsOff() {
        DefaultCamelContext context = contextWith("bridge.datasource.url", "jdbc:postgresql://db/bridge");

        ClusterBeans.bind(context, BridgeSettings.of(context), NO_DATABASE);

        assertThat(context.hasComponent("quartz")).isNull();
    }

    @Test
    void refusesClusterModeOnAnythingButPostgresql() {
        DefaultCamelContext context = contextWith("bridge.cluster.enabled", "true");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:cluster-beans-test");

        assertThatThrownBy(() -> ClusterBeans.bind(context, BridgeSettings.of(context), h2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bridge.cluster.enabled=true needs a PostgreSQL database");
    }

    @Test
    void configuresQuartzsClusteredJobStoreFromTheSettings() {
        DefaultCamelContext context = contextWith("bridge.cluster.enabled", "true",
                "bridge.cluster.checkin-interval-ms", "7000", "bridge.cluster.poller-threads", "4");

        // bind() itself runs on PostgreSQL in ClusterFailoverIT
        assertThat(ClusterBeans.quartzProperties(BridgeSettings.of(context), "bridge-db"))
                .containsEntry("org.quartz.jobStore.dataSource", "bridge-db")
                .containsEntry("org.quartz.jobStore.isClustered", "true")
                .containsEntry("org.quartz.scheduler.instanceId", "AUTO")
                .containsEntry("org.quartz.scheduler.instanceName", ClusterBeans.SCHEDULER_NAME)
                .containsEntry("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX")
                .containsEntry("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate")
                .containsEntry("org.quartz.jobStore.clusterCheckinInterval", "7000")
                .containsEntry("org.quartz.threadPool.threadCount", "4");
    }

    @Test
    void checksInEveryFifteenSecondsByDefault() {
        DefaultCamelContext context = contextWith();

        assertThat(BridgeSettings.of(context).clusterCheckinIntervalMs()).isEqualTo(15_000L);
        assertThat(BridgeSettings.of(context).clusterReconcileIntervalMs()).isEqualTo(30_000L);
        assertThat(BridgeSettings.of(context).clusterEnabled()).isFalse();
    }
}
