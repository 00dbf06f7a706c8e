/**
 * The MLOps pipeline's model side, a library without lifecycle: small dense networks (logistic
 * regression, a small MLP), drift statistics against a training reference (PSI, KS), holdout
 * evaluation, real int8 post-training quantization calibrated on a representative set, and
 * export to {@code .tflite} flatbuffers that TensorFlow Lite's runtime and our java backend both
 * run. Used by {@code pipeline} and the load tools; the only package importing flatbuffers-java.
 */
package io.aiotedge.mlops;
