/**
 * The runtime's small core: the {@link io.aiotedge.core.Component} lifecycle and the
 * {@link io.aiotedge.core.EdgeRuntime} that starts and stops a node's components, health, the
 * error hierarchy, the rules for files on disk, and the interfaces through which components reach
 * each other without importing each other ({@link io.aiotedge.core.RecordSink},
 * {@link io.aiotedge.core.DeviceDirectory}, {@link io.aiotedge.core.AnnouncementVerifier},
 * {@link io.aiotedge.core.ModelCheck}, {@link io.aiotedge.core.PlatformLink}, port reporting; and
 * in {@code core.auth} and {@code core.mqtt}). Depends on nothing else in the project.
 */
package io.aiotedge.core;
