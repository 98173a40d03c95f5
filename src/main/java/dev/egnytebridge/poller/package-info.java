/**
 * Polling: one Quartz schedule per instance (a route template), the date window and cursor of each resource, and the durable hand-off of new objects to delivery.
 */
package dev.egnytebridge.poller;
