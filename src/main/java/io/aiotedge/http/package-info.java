/**
 * The node's HTTP server (Javalin): liveness, readiness, Prometheus metrics, and the single JSON
 * error shape every endpoint answers with. Other packages add routes as
 * {@link io.aiotedge.http.HttpModule}s before it starts. Javalin is imported here, by {@code api}
 * (its routes) and by {@code bench} (a static-file baseline), nowhere else.
 */
package io.aiotedge.http;
