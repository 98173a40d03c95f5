/**
 * REST plumbing every API route shares: authentication of the Authorization header, refused requests
 * ({@link dev.egnytebridge.api.ApiException}) and how errors are answered, JSON responses and strict request bodies, and the
 * answers the HTTP server gives itself (unknown path, wrong method, oversized body or headers) in the same JSON; and
 * quiet Vert.x settings for the bridge's Vert.x instances ({@link dev.egnytebridge.api.QuietVertx}).
 * Depends on no other package of the bridge, so every API package may use it.
 */
package dev.egnytebridge.api;
