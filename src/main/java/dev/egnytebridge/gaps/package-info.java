/**
 * Gaps: the times events of an instance may have been lost at Egnyte (a cursor that aged out, an oldest event newer
 * than the cursor), kept as facts: stored once each, listed by the API ({@code GET /instances/{id}/gaps} and the
 * latest ones on the instance), counted in metrics. The poller finds them; this package stores and shows them.
 */
package dev.egnytebridge.gaps;
