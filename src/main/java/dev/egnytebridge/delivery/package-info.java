/**
 * Delivery: notifications built from hub objects, their signatures, the durable per-endpoint outbox, retries with backoff, dead letters and the event history.
 */
package dev.egnytebridge.delivery;
