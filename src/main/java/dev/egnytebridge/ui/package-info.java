/**
 * The instance setup web UI: a single page (plain HTML, CSS and JavaScript under {@code web/} on the classpath) served
 * by the bridge itself at {@code /}, talking to the same REST API a script would.
 */
package dev.egnytebridge.ui;
