package dev.egnytebridge.store;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.egnytebridge.config.BridgeSettings;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/** Standalone: the bridge owns its connection pool ({@code bridge.datasource.*}) and closes it with the context. */
public class StandaloneDataSourceConfiguration implements CamelConfiguration {

    /**
     * The pool, its schema brought up to date. Closed by a service registered when the pool opens: every bean that uses
     * the database is made after it, so Camel, which stops services in reverse order, closes the pool after them.
     */
    @BindToRegistry(value = "bridgeDataSource", lazy = true)
    public DataSource bridgeDataSource(CamelContext context, @BeanInject("bridgeSettings") BridgeSettings settings)
            throws Exception {
        HikariDataSource dataSource = Database.open(settings);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.close();
            }
        });
        return dataSource;
    }
}
