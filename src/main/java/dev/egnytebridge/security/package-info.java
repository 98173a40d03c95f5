/**
 * Security: the bridge's own secrets (generated at first start), instance tokens and their hashes, encryption of
 * instance secrets at rest and callback address checks. Checking the Authorization header is the API's
 * ({@code dev.egnytebridge.api.ApiAuthenticator}), against the credentials bound here.
 */
package dev.egnytebridge.security;
