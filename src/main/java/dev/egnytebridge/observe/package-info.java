/**
 * Operations: the bridge's own metrics ({@link dev.egnytebridge.observe.BridgeMetrics}) and the health checks served
 * on the management server next to Camel's own (database, scheduler, pollers).
 */
package dev.egnytebridge.observe;
