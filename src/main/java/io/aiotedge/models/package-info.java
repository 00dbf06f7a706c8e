/**
 * The model registry: versions with content-addressed binaries, input schema, quantization
 * parameters, metrics, lineage and tags; the aliases {@code champion}, {@code candidate},
 * {@code previous} with a history of every change; Ed25519 signatures over every version; and the
 * announcement of an alias change to inference nodes and devices.
 */
package io.aiotedge.models;
