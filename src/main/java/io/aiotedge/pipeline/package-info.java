/**
 * The MLOps pipeline as a platform component: extract, validate, drift, train, quantize, evaluate,
 * register, promote. It composes the datastore (extract), the training and export code in
 * {@code mlops}, the TFLite runtime in {@code tflite} (evaluation on the real runtime) and the
 * model registry (register, promote, announce), so like {@code api} it is a root that may import
 * components. The stages reach the platform through {@code PlatformAccess}: directly inside a
 * platform process, over its API when a stage runs on its own (an Argo step). Runs are recorded
 * stage by stage in the platform database.
 */
package io.aiotedge.pipeline;
