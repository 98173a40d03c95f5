/**
 * Egnyte's native webhooks as a doorbell ({@code event.vendor.type} {@code webhooks}): the bridge keeps one Egnyte
 * webhook registration per instance (registered, updated, renewed, re-enabled and deleted by route
 * maintain-push-registrations), receives Egnyte's pushes at {@code /events/egnyte/{hook key}}, and answers each by
 * making the instance due for an immediate cursor poll. What is delivered still comes from the cursor: a push carries
 * no data the bridge trusts, and a lost push costs at most one backstop interval.
 */
package dev.egnytebridge.push;
