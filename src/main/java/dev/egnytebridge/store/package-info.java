/**
 * Storage: the connection pool, schema migrations and the JDBC idempotent repository.
 */
package dev.egnytebridge.store;
