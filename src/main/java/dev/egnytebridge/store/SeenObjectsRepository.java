package dev.egnytebridge.store;

import java.sql.Timestamp;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Camel's JDBC idempotent repository with an insert that cannot break the caller's transaction. Camel's own add() is
 * SELECT then INSERT: when two transactions add one key at once, the later INSERT hits the primary key, and on
 * PostgreSQL that error aborts the whole hand-off transaction. Here the insert itself decides: on PostgreSQL
 * {@code ON CONFLICT DO NOTHING} (no error, no abort), elsewhere a caught duplicate-key error (H2 rolls back only the
 * failed statement). Either way a key another transaction inserted counts as already seen.
 */
final class SeenObjectsRepository extends JdbcMessageIdRepository {

    private static final String INSERT =
            "INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?, ?, ?)";

    private final boolean postgres;

    SeenObjectsRepository(DataSource dataSource, TransactionTemplate transactions, String processorName, boolean postgres) {
        super(dataSource, transactions, processorName);
        this.postgres = postgres;
    }

    @Override
    public boolean add(String key) {
        return Boolean.TRUE.equals(transactionTemplate.execute(status -> insert(key) == 1));
    }

    /** 1 when the key was new, 0 when it was already there (committed, or inserted by a concurrent transaction). */
    @Override
    protected int insert(String key) {
        Timestamp now = new Timestamp(System.currentTimeMillis());
        if (postgres) {
            return jdbcTemplate.update(INSERT + " ON CONFLICT DO NOTHING", processorName, key, now);
        }
        try {
            return jdbcTemplate.update(INSERT, processorName, key, now);
        } catch (DuplicateKeyException alreadySeen) {
            return 0;
        }
    }
}
