/**
 * Model inference: the {@code .tflite} runtime behind one small interface, with two backends.
 * {@code tflite} is TensorFlow Lite's own Java {@code Interpreter} with its native library (the
 * only place importing {@code org.tensorflow.lite}); {@code java} is our interpreter of the
 * flatbuffer for the ops our models use, float32 and int8 with TFLite's integer arithmetic, for
 * hosts without the native library (aarch64 boards). {@code auto} takes the native one where it
 * loads.
 */
package io.aiotedge.inference;
