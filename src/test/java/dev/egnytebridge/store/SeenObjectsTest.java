package dev.egnytebridge.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.egnytebridge.BridgeTestSupport;
import dev.egnytebridge.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The hand-off's memory of objects already delivered, on H2 and (with -Dbridge.test.database=postgres) on PostgreSQL. */
class SeenObjectsTest extends BridgeTestSupport {

    private DataSource dataSource() {
        return context.getRegistry().lookupByNameAndType("bridgeDataSource", DataSource.class);
    }

    private SeenObjects seen() {
        return SeenObjects.of(dataSource(), jdbc());
    }

    private TransactionTemplate transactions() {
        return new TransactionTemplate(new DataSourceTransactionManager(dataSource()));
    }

    private JdbcTemplate jdbc() {
        return context.getRegistry().lookupByNameAndType("jdbcTemplate", JdbcTemplate.class);
    }

    @Test
    void returnsOnlyKeysNeverSeenBeforeEachOnceInTheirOrder() {
        assertThat(seen().remember(List.of("1:events:b"))).containsExactly("1:events:b");

        assertThat(seen().remember(List.of("1:events:c", "1:events:b", "1:events:a", "1:events:c")))
                .containsExactly("1:events:c", "1:events:a");
        assertThat(seen().remember(List.of("1:events:a", "1:events:b", "1:events:c"))).isEmpty();
    }

    @Test
    void refusesKeysSeenBeforeWithoutBreakingTheTransaction() {
        seen().remember(List.of("2:events:seen-before"));

        Integer afterRefusal = transactions().execute(status -> {
            assertThat(seen().remember(List.of("2:events:seen-before", "2:events:new-one"))).containsExactly("2:events:new-one");
            // the transaction still works after the refused key (on PostgreSQL a failed statement would abort it)
            return jdbc().queryForObject("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE messageId LIKE '2:%'", Integer.class);
        });

        assertThat(afterRefusal).isEqualTo(2);
    }

    @Test
    void rememberedKeysAreForgottenWhenTheirTransactionRollsBack() {
        transactions().execute(status -> {
            assertThat(seen().remember(List.of("3:events:rolled-back"))).containsExactly("3:events:rolled-back");
            status.setRollbackOnly();
            return null;
        });

        assertThat(seen().remember(List.of("3:events:rolled-back"))).containsExactly("3:events:rolled-back");
    }

    @Test
    void aKeyAddedByAConcurrentTransactionCountsAsSeenOnceThatOneCommits() throws Exception {
        // a cluster's race (one poll of an instance at a time on a single node); H2 would also time out its lock wait
        assumeTrue(TestDatabase.postgresSelected(), "row-lock waits are observed through PostgreSQL's pg_locks");
        CountDownLatch firstAdded = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        CompletableFuture<List<String>> first = CompletableFuture.supplyAsync(() -> transactions().execute(status -> {
            List<String> added = seen().remember(List.of("4:events:raced"));
            firstAdded.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> commitFirst.getCount() == 0);
            return added;
        }));
        assertThat(firstAdded.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Object[]> second = CompletableFuture.supplyAsync(() -> transactions().execute(status -> {
            List<String> added = seen().remember(List.of("4:events:raced", "4:events:only-mine"));
            // a statement after the refused key: fails if the duplicate aborted this transaction
            int rows = jdbc().queryForObject("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE messageId LIKE '4:%'",
                    Integer.class);
            return new Object[] {added, rows};
        }));
        // the second insert waits on the first transaction's row lock
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc().queryForObject("SELECT COUNT(*) FROM pg_locks WHERE NOT granted",
                Integer.class) > 0);
        commitFirst.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).containsExactly("4:events:raced");
        Object[] secondResult = second.get(30, TimeUnit.SECONDS);
        assertThat(secondResult[0]).isEqualTo(List.of("4:events:only-mine"));
        assertThat(secondResult[1]).isEqualTo(2);
    }
}
