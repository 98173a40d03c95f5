/**
 * Talking to Egnyte: the OAuth authorize URL and code exchange, the events cursor and events pages, mapping Egnyte events to hub objects, and the date patterns and URL placeholders of polled resources.
 */
package dev.egnytebridge.egnyte;
