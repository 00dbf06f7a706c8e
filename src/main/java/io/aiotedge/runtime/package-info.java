/**
 * The composition root: {@link io.aiotedge.runtime.RoleWiring} is the one class that knows every
 * component and builds a node's components for its roles, in start order;
 * {@link io.aiotedge.runtime.Node} runs them, owns the node's Prometheus registry (the only
 * package importing it) and publishes {@code runtime.json}.
 */
package io.aiotedge.runtime;
