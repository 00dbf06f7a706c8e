/**
 * The MLOps pipeline's model side: small dense networks (logistic regression, a small MLP),
 * real int8 post-training quantization calibrated on a representative set, and export to
 * {@code .tflite} flatbuffers that TensorFlow Lite's runtime and our java backend both run.
 */
package io.aiotedge.mlops;
