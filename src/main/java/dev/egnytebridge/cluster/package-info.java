/**
 * Cluster mode: several bridge nodes on one PostgreSQL database, with Quartz's clustered JDBC job store deciding which
 * node fires each instance's poll, and failing a dead node's polls over to the others.
 */
package dev.egnytebridge.cluster;
