/**
 * Polling: the poll schedule in the database (each instance's next poll, claimed with a lease by one node's scheduler
 * and run on its bounded pool of poller threads), the date window and cursor of each resource, and the durable
 * hand-off of new objects to delivery. A poll's flow carries one {@link dev.egnytebridge.poller.Poll} (exchange
 * property {@code poll}); the beans read and fill it through typed parameters.
 */
package dev.egnytebridge.poller;
