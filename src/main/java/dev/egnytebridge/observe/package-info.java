/**
 * Operations: the bridge's own metrics ({@link dev.egnytebridge.observe.BridgeMetrics}) and the health checks served
 * on the management server next to Camel's own (database, scheduler, pollers). The poller and delivery record into
 * it; it reads the poll scheduler only through {@link dev.egnytebridge.observe.ScheduleActivity}, so it depends on
 * neither of them. Standalone, the registry served at /observe/metrics is its
 * {@link dev.egnytebridge.observe.ScrapedMeterRegistry}, whose {@link dev.egnytebridge.observe.PrometheusNames} keeps
 * every name in the form Prometheus tools accept.
 */
package dev.egnytebridge.observe;
