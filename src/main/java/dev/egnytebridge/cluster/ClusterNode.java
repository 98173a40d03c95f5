package dev.egnytebridge.cluster;

import java.lang.management.ManagementFactory;
import java.util.UUID;

import javax.sql.DataSource;

import dev.egnytebridge.config.BridgeSettings;
import dev.egnytebridge.store.DatabaseProduct;

/**
 * This bridge process as a member of the nodes sharing one database. {@code id} names the node on the polls it claims
 * (element_instance.poll_lease_owner); it is new for every process, so a restarted node never mistakes the claims of
 * its previous, dead run for its own. {@code clustered} says whether other nodes may share the database: only then
 * must a starting node leave claims it finds alone (they may belong to a live node) rather than release them.
 */
public record ClusterNode(String id, boolean clustered) {

    /** The node of this process; cluster mode is refused on anything but PostgreSQL. */
    public static ClusterNode of(BridgeSettings settings, DataSource dataSource) {
        boolean clustered = settings.clusterEnabled();
        // the DataSource, not bridge.datasource.url: an embedding host brings its own
        if (clustered && !DatabaseProduct.isPostgres(dataSource)) {
            throw new IllegalArgumentException("bridge.cluster.enabled=true needs a PostgreSQL database: set "
                    + "bridge.datasource.url to a jdbc:postgresql://host/database URL shared by every node");
        }
        return new ClusterNode(newId(), clustered);
    }

    /** host, process id and a random part (containers restart with the same host name and process id 1) */
    static String newId() {
        String jvm = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        int at = jvm.indexOf('@');
        String name = at < 0 ? jvm : jvm.substring(at + 1) + "/" + jvm.substring(0, at);
        String id = name + "/" + UUID.randomUUID().toString().substring(0, 8);
        return id.length() <= 100 ? id : id.substring(id.length() - 100);
    }
}
