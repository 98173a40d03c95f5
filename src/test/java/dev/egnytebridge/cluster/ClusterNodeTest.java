package dev.egnytebridge.cluster;

import dev.egnytebridge.TestSettings;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterNodeTest {


    private static JdbcDataSource h2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:cluster-node-test");
        return h2;
    }

    @Test
    void isASingleNodeByDefault() {
        assertThat(ClusterNode.of(TestSettings.of(), h2()).clustered()).isFalse();
    }

    @Test
    void refusesClusterModeOnAnythingButPostgresql() {
        assertThatThrownBy(() -> ClusterNode.of(TestSettings.of("bridge.cluster.enabled", "true"), h2()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bridge.cluster.enabled=true needs a PostgreSQL database");
    }

    @Test
    void namesEveryProcessAndRunDifferentlySoARestartedNodeNeverOwnsItsDeadRunsClaims() {
        String first = ClusterNode.of(TestSettings.of(), h2()).id();
        String second = ClusterNode.of(TestSettings.of(), h2()).id();

        assertThat(first).isNotEqualTo(second).contains("/" + ProcessHandle.current().pid() + "/");
        assertThat(first.length()).isLessThanOrEqualTo(100); // element_instance.poll_lease_owner
    }
}
