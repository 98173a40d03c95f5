/**
 * Waking on work instead of on a clock: a scheduler for Camel's scheduled-poll consumers ({@code scheduler:} routes)
 * that runs its route when told there is work, when known work falls due, and otherwise only on a slow fallback
 * look (for work another cluster node stored); and Vert.x settings that keep its periodic checks slow
 * ({@link dev.egnytebridge.wake.QuietVertx}). Depends on nothing else of the bridge.
 */
package dev.egnytebridge.wake;
