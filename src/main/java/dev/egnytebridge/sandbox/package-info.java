/**
 * Sandbox: a built-in Egnyte simulator and a callback sink, so the bridge can run end to end on a machine with no Egnyte account. Never active unless asked for.
 */
package dev.egnytebridge.sandbox;
