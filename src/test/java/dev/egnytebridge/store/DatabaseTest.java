package dev.egnytebridge.store;

import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class DatabaseTest extends BridgeTestSupport {

    @Test
    void migratesSchemaOnStart() {
        JdbcTemplate jdbc = context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
        Integer tables = jdbc.queryForObject(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(TABLE_NAME) IN "
                        + "('ELEMENT_INSTANCE','POLL_CURSOR','CAMEL_MESSAGEPROCESSED','NOTIFICATION','DELIVERY','DELIVERY_ATTEMPT')",
                Integer.class);
        assertThat(tables).isEqualTo(6);
    }

    @Test
    void servesHttpOnTheConfiguredPort() {
        assertThat(get("/no-such-path", null).statusCode()).isEqualTo(404);
    }

    @Test
    void redactsCredentialsFromJdbcUrl() {
        assertThat(Database.redactedUrl("jdbc:postgresql://db/bridge?password=x")).isEqualTo("jdbc:postgresql://db/bridge");
        assertThat(Database.redactedUrl("jdbc:h2:file:./data/bridge;PASSWORD=x")).isEqualTo("jdbc:h2:file:./data/bridge");
    }

    @Test
    void writesEachCommitOfAnEmbeddedH2DatabaseToItsFileAndLeavesClosingItToTheBridge() {
        assertThat(Database.durableUrl("jdbc:h2:file:./data/bridge"))
                .isEqualTo("jdbc:h2:file:./data/bridge;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=128");
        assertThat(Database.durableUrl("jdbc:h2:./data/bridge;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:./data/bridge;MODE=PostgreSQL;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=128");
        assertThat(Database.durableUrl("jdbc:h2:file:./data/bridge;write_delay=100;DB_CLOSE_ON_EXIT=TRUE;query_cache_size=16"))
                .isEqualTo("jdbc:h2:file:./data/bridge;write_delay=100;DB_CLOSE_ON_EXIT=TRUE;query_cache_size=16");
        assertThat(Database.durableUrl("jdbc:h2:mem:bridge")).isEqualTo("jdbc:h2:mem:bridge");
        assertThat(Database.durableUrl("jdbc:postgresql://db/bridge")).isEqualTo("jdbc:postgresql://db/bridge");
    }

    @Test
    void theRunningDatabaseHasNoWriteDelay() {
        assumeFalse(TestDatabase.postgresSelected(), "WRITE_DELAY is an H2 setting");
        JdbcTemplate jdbc = context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
        assertThat(jdbc.queryForList(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'", String.class))
                .containsOnly("0");
    }

    @Test
    void deliveriesAndAttemptsTakeTheirIdsFromACacheOfAThousandOnH2() {
        assumeFalse(TestDatabase.postgresSelected(), "the identity cache is raised on H2 only");
        JdbcTemplate jdbc = context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
        // each time H2's cache (32 by default) runs out it commits, and writes to its file, the sequence's new mark
        assertThat(jdbc.queryForList("SELECT TABLE_NAME || '.' || COLUMN_NAME || ' ' || IDENTITY_CACHE "
                + "FROM INFORMATION_SCHEMA.COLUMNS WHERE IS_IDENTITY = 'YES' "
                + "AND TABLE_NAME IN ('DELIVERY', 'DELIVERY_ATTEMPT') ORDER BY TABLE_NAME", String.class))
                .containsExactly("DELIVERY.ID 1000", "DELIVERY_ATTEMPT.ID 1000");
    }
}
