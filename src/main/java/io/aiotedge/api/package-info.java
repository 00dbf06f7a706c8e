/**
 * The platform's HTTP API ({@code /api/v1/...}, {@code /openapi.json}) and the reference
 * implementation's endpoints, over the device registry, model registry, datastore and pipeline,
 * plus the inference role's {@code /api/v1/conditions}; bearer-token checks and OTA downloads
 * ({@code ota}) included. A root: like the runtime it composes components, so it may import them.
 * Its routes are {@link io.aiotedge.http.HttpModule}s installed into the {@code http} server; it
 * imports Javalin, as {@code http} does.
 */
package io.aiotedge.api;
