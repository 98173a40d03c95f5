/**
 * Egnyte's client: one call at a time through route call-egnyte ({@link dev.egnytebridge.egnyte.EgnyteRequest} in,
 * {@link dev.egnytebridge.egnyte.EgnyteAnswer} out, rate limited per token), the OAuth authorize URL and code
 * exchange, mapping Egnyte events to hub objects, and the date patterns and URL placeholders of polled resources.
 * It knows a subdomain and a token, not the bridge's instances, and records no metrics of its own.
 */
package dev.egnytebridge.egnyte;
