/**
 * Beans a user calls from an edited route (see docs/customizing.md): none of the shipped routes uses
 * them, they are there so a route edit needs no Java.
 */
package dev.egnytebridge.customize;
