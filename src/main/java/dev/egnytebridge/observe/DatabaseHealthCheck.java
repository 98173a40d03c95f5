package dev.egnytebridge.observe;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.springframework.jdbc.core.JdbcTemplate;

/** Readiness: the bridge's database answers {@code SELECT 1}. Nothing polls or delivers without it. */
public class DatabaseHealthCheck extends AbstractHealthCheck {

    private final JdbcTemplate jdbc;

    public DatabaseHealthCheck(JdbcTemplate jdbc) {
        super("bridge", "database");
        this.jdbc = jdbc;
    }

    @Override
    public boolean isLiveness() {
        // a database outage is not cured by restarting the bridge
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            Integer one = jdbc.queryForObject("SELECT 1", Integer.class);
            if (one != null && one == 1) {
                builder.up();
            } else {
                builder.message("SELECT 1 answered " + one).down();
            }
        } catch (RuntimeException e) {
            // the message only: JDBC errors may quote the URL, never the password (the URL's options are redacted)
            builder.message("Database unreachable: " + e.getClass().getSimpleName()).error(e).down();
        }
    }
}
