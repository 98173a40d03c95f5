/**
 * Configuration plumbing every capability uses: {@link dev.egnytebridge.config.BridgeSettings} (the bridge's
 * properties, whose defaults live only in application.properties) and the beans all capabilities share. Imports no
 * other package of the bridge.
 */
package dev.egnytebridge.config;
