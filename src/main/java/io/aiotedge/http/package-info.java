/**
 * The node's HTTP server (Javalin): liveness, readiness, Prometheus metrics, and the single JSON
 * error shape every endpoint answers with. The only package that imports Javalin.
 */
package io.aiotedge.http;
