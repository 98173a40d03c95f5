/**
 * The daily call budget per Egnyte access token ({@code egnyte.rate-limit.calls-per-day}): every call to Egnyte is
 * counted per token over a rolling 24 hours, in the database so every cluster node sees the same count; the poller asks
 * here when an instance may poll next, so that the instances of one token keep to its budget all day; the instance API
 * shows the effective interval and warns when a requested one cannot be kept.
 */
package dev.egnytebridge.budget;
