/**
 * Security: the Authorization header (user, organization, element token), constant-time secret checks, generated secrets, encryption at rest and callback address checks.
 */
package dev.egnytebridge.security;
