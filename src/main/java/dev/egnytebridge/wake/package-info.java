/**
 * Waking on work instead of on a clock: a scheduler for Camel's scheduled-poll consumers ({@code scheduler:} routes)
 * that runs its route when told there is work, when known work falls due, and otherwise only on a slow fallback
 * look (for work another cluster node stored). Depends on nothing else of the bridge.
 */
package dev.egnytebridge.wake;
