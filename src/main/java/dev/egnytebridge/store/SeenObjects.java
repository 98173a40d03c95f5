package dev.egnytebridge.store;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The idempotent repository of objects already handed to delivery: Camel's JDBC repository on the bridge's database.
 * The table comes from our migrations (with the primary key Camel's own DDL lacks), inserts go through
 * {@link SeenObjectsRepository} (a concurrent duplicate does not abort the transaction on PostgreSQL), and its
 * transactions join the poll's hand-off transaction, so a key is only remembered together with the notification that carries its object.
 * Keys are {@code <instanceId>:<resource>:<object key>}, so one instance's keys can be forgotten when it is deleted.
 */
public final class SeenObjects {

    public static final String PROCESSOR_NAME = "egnyte-bridge";
    /** messageId column width in V1__baseline.sql. */
    public static final int MAX_KEY_LENGTH = 255;

    private SeenObjects() {
    }

    public static JdbcMessageIdRepository repository(DataSource dataSource, PlatformTransactionManager transactions) {
        JdbcMessageIdRepository repository = new SeenObjectsRepository(
                dataSource, new TransactionTemplate(transactions), PROCESSOR_NAME, DatabaseProduct.isPostgres(dataSource));
        repository.setCreateTableIfNotExists(false);
        return repository;
    }

    /** Removes every key of one instance (when the instance is deleted). */
    public static int forgetInstance(JdbcTemplate jdbc, long instanceId) {
        return jdbc.update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND messageId LIKE ?",
                PROCESSOR_NAME, instanceId + ":%");
    }
}
