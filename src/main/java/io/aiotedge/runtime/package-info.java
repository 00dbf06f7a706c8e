/**
 * The composition root: {@link io.aiotedge.runtime.RoleWiring} is the one class that knows every
 * component and builds a node's components for its roles; {@link io.aiotedge.runtime.Node} runs
 * them and publishes {@code runtime.json}.
 */
package io.aiotedge.runtime;
