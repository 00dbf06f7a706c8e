/**
 * The platform's HTTP API ({@code /api/v1/...}, {@code /openapi.json}) and the reference
 * implementation's endpoints, over the device registry, model registry and datastore. Like the
 * runtime it composes components, so it may import them; it is the only other package importing
 * Javalin.
 */
package io.aiotedge.api;
