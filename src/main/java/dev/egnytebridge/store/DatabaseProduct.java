package dev.egnytebridge.store;

import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/** Which database a DataSource reaches, for the few places where H2 and PostgreSQL need different handling. */
public final class DatabaseProduct {

    private DatabaseProduct() {
    }

    public static boolean isPostgres(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
            return "PostgreSQL".equalsIgnoreCase(product);
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("Could not tell which database the bridge runs on", e);
        }
    }
}
