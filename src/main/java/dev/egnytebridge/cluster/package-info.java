/**
 * Cluster mode: several bridge nodes on one PostgreSQL database. Every node serves the API and runs polls and
 * deliveries; the shared poll schedule and delivery outbox, each claimed with a lease, decide which node runs what.
 * This package owns the node's identity, the check that cluster mode has a database to share, and the signals by
 * which a node wakes the others when it stores work (PostgreSQL LISTEN/NOTIFY).
 */
package dev.egnytebridge.cluster;
