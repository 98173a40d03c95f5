/**
 * Element instances: the REST API's create, read, update and delete, request validation, the instance store, and the masking of secrets in responses.
 */
package dev.egnytebridge.instance;
