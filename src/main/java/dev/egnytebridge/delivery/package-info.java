/**
 * Delivery: notifications built from hub objects and numbered per instance, the durable outbox, and the engine that
 * empties it without letting any endpoint stall another: a lane per endpoint (origin) with its own cap, round-robin
 * dispatch, non-blocking sends (Vert.x), batched claims and outcome records, circuit breakers, throttling, disabled
 * callback URLs, retries, dead letters, replay and the event history.
 */
package dev.egnytebridge.delivery;
