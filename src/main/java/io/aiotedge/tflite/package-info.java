/**
 * The {@code .tflite} runtime: a model file in, an {@link io.aiotedge.tflite.Inference} out
 * (float32 vector in, float32 vector out), behind {@link io.aiotedge.tflite.Backend}. A pure
 * library with no lifecycle, as {@code dsp} is: no component, no config, no thread; the inference
 * role, the MLOps pipeline and the load tools use it. Every file is first read by our
 * bounds-checked flatbuffer reader ({@code ModelGraph}), which refuses what it does not understand
 * completely with a {@link io.aiotedge.tflite.ModelFormatException}; only then does a backend see
 * it. {@code tflite} is TensorFlow Lite's own Java {@code Interpreter} with its native library
 * (this is the only package importing {@code org.tensorflow.lite}); {@code java} is our
 * interpreter of the ops our models use, float32 and int8 with TFLite's integer arithmetic
 * ({@code QuantMath}), for hosts without the native library (aarch64 boards); {@code auto} takes
 * the native one where it loads. Public are only the backend choice, the loaded model and the
 * load error; the reader and the interpreters are package-private.
 */
package io.aiotedge.tflite;
