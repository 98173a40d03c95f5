package dev.egnytebridge.cluster;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.quartz.utils.ConnectionProvider;

/** Hands Quartz's job store connections from the bridge's own pool, which the bridge closes itself. */
final class BridgeConnectionProvider implements ConnectionProvider {

    private final DataSource dataSource;

    BridgeConnectionProvider(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void shutdown() {
        // the pool belongs to the bridge and is closed when the CamelContext stops
    }

    @Override
    public void initialize() {
        // nothing to set up: the pool is open before Quartz starts
    }
}
