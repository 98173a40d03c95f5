package dev.egnytebridge.gaps;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egnytebridge.instance.InstanceStore;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Binds {@code eventGaps} (the store the poll's hand-off writes) and {@code gapsApi} (routes/instances-api.yaml). */
public class GapsConfiguration implements CamelConfiguration {

    @BindToRegistry(value = "eventGaps", lazy = true)
    public EventGaps eventGaps(@BeanInject("jdbcTemplate") JdbcTemplate jdbc) {
        return new EventGaps(jdbc);
    }

    @BindToRegistry(value = "gapsApi", lazy = true)
    public GapsApi gapsApi(@BeanInject("eventGaps") EventGaps gaps,
                           @BeanInject("instanceStore") InstanceStore instances,
                           @BeanInject("bridgeObjectMapper") ObjectMapper mapper) {
        return new GapsApi(gaps, instances, mapper);
    }
}
