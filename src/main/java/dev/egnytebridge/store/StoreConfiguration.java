package dev.egnytebridge.store;

import javax.sql.DataSource;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Binds the beans on top of {@code bridgeDataSource}: {@code transactionManager}, {@code requiredTx} and
 * {@code jdbcTemplate}. The DataSource itself comes from {@link StandaloneDataSourceConfiguration} (the bridge's own
 * pool) or {@link HostDataSourceConfiguration} (an embedding host's).
 */
public class StoreConfiguration implements CamelConfiguration {

    @BindToRegistry(value = "transactionManager", lazy = true)
    public DataSourceTransactionManager transactionManager(@BeanInject("bridgeDataSource") DataSource dataSource) {
        return new DataSourceTransactionManager(dataSource);
    }

    /** The policy the routes name in {@code transacted}: one database transaction for the rest of the route. */
    @BindToRegistry(value = "requiredTx", lazy = true)
    public SpringTransactionPolicy requiredTx(
            @BeanInject("transactionManager") DataSourceTransactionManager transactionManager) {
        return new SpringTransactionPolicy(transactionManager);
    }

    @BindToRegistry(value = "jdbcTemplate", lazy = true)
    public JdbcTemplate jdbcTemplate(@BeanInject("bridgeDataSource") DataSource dataSource) {
        return new JdbcTemplate(dataSource);
    }
}
