package dev.egnytebridge.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.TestDatabase;
import org.apache.camel.spi.IdempotentRepository;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The idempotent repository of the hand-off, on H2 and (with -Dbridge.test.database=postgres) on PostgreSQL. */
class SeenObjectsTest extends BridgeTestSupport {

    private IdempotentRepository repository() {
        return context.getRegistry().lookupByNameAndType("seenObjects", IdempotentRepository.class);
    }

    private TransactionTemplate transactions() {
        DataSource dataSource = context.getRegistry().lookupByNameAndType("bridgeDataSource", DataSource.class);
        return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    private JdbcTemplate jdbc() {
        return context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
    }

    @Test
    void refusesAKeySeenBeforeWithoutBreakingTheTransaction() {
        assertThat(repository().add("1:events:seen-before")).isTrue();

        Integer afterRefusal = transactions().execute(status -> {
            assertThat(repository().add("1:events:seen-before")).isFalse();
            assertThat(repository().add("1:events:new-one")).isTrue();
            // the transaction still works after the refused key (on PostgreSQL a failed statement would abort it)
            return jdbc().queryForObject("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE messageId LIKE '1:%'", Integer.class);
        });

        assertThat(afterRefusal).isEqualTo(2);
    }

    @Test
    void aKeyAddedByAConcurrentTransactionCountsAsSeenOnceThatOneCommits() throws Exception {
        assumeTrue(TestDatabase.postgresSelected(), "row-lock waits are observed through PostgreSQL's pg_locks");
        CountDownLatch firstAdded = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> transactions().execute(status -> {
            boolean added = repository().add("2:events:raced");
            firstAdded.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> commitFirst.getCount() == 0);
            return added;
        }));
        assertThat(firstAdded.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> transactions().execute(status -> {
            boolean added = repository().add("2:events:raced");
            // a statement after the refused key: fails if the duplicate aborted this transaction
            int rows = jdbc().queryForObject("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE messageId = '2:events:raced'",
                    Integer.class);
            return added ? -1 : rows;
        }));
        // the second insert waits on the first transaction's row lock
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc().queryForObject(
                "SELECT COUNT(*) FROM pg_locks WHERE NOT granted", Integer.class) > 0);
        commitFirst.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    }
}
