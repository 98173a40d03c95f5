/**
 * Element instances: the domain (Instance, its configuration and secrets), their validation, the instance store, and
 * the beans of routes/instances-api.yaml, which use the REST plumbing of {@code dev.egnytebridge.api}.
 */
package dev.egnytebridge.instance;
