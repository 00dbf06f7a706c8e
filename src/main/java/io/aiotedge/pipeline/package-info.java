/**
 * The MLOps pipeline as a platform component: it composes the datastore (extract), the training
 * and export code in {@code mlops}, the model runtime in {@code tflite} (evaluation on the real
 * runtime) and the model registry (register, promote, announce), so like {@code api} it may
 * import components. Runs are recorded stage by stage in the platform database.
 */
package io.aiotedge.pipeline;
