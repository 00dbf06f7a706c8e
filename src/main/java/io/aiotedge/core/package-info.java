/**
 * The runtime's small core: the {@link io.aiotedge.core.Component} lifecycle, the
 * {@link io.aiotedge.core.EdgeRuntime} that starts and stops a role's components, the
 * error hierarchy, and the interfaces components use to talk to each other
 * (authentication, port reporting). Depends on nothing else in the project.
 */
package io.aiotedge.core;
