/**
 * The inference role: follows the model the registry announces, installs it after checking its
 * signature and hash ({@code ModelUpdater}), scores every telemetry window with it, from Kafka (a
 * consumer group), the broker (a shared subscription) or this node's own gateway, keeps each
 * device's condition band and its aggregates ({@link io.aiotedge.inference.ConditionTracker},
 * {@link io.aiotedge.inference.ConditionWindows}), and sends alerts and servo commands. Models
 * are run by the {@code tflite} library on the backend {@code inference.backend} names; a
 * {@link io.aiotedge.inference.LoadedModel} is one installed model with its identity and
 * features. {@link io.aiotedge.inference.ModelLoadCheck} lends the node's admission rule (inputs
 * match the schema, one finite score) to the registry.
 */
package io.aiotedge.inference;
