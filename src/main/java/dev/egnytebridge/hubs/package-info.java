/**
 * The documents hub API ({@code GET /hubs/documents/events}, routes/hubs-api.yaml): an instance's Egnyte events read
 * live and served as hub objects, paged the Cloud Elements way.
 */
package dev.egnytebridge.hubs;
