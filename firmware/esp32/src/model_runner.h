// Runs the announced .tflite model with TensorFlow Lite Micro: float32 features in, the
// condition score (0..1) out. The ops are those our pipeline exports (docs/inference.md).
#pragma once

#include <Arduino.h>

class ModelRunner {
 public:
  // Loads a verified model kept in RAM (the interpreter reads it in place); false with the reason.
  bool load(const uint8_t* model, size_t length, int inputs, String& why);
  bool ready() const { return ready_; }
  int inputs() const { return inputs_; }
  // The score for one input vector of inputs() values; NaN when no model is loaded.
  float score(const float* in);

 private:
  bool ready_ = false;
  int inputs_ = 0;
};
