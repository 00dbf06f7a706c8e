#include "model_runner.h"

#include <new>

#include <TensorFlowLite_ESP32.h>

#include "tensorflow/lite/micro/micro_error_reporter.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/schema/schema_generated.h"

namespace {
constexpr size_t kArenaBytes = 24 * 1024;  // the 4-50-40-1 int8 MLP needs ~6 KiB
alignas(16) uint8_t arena[kArenaBytes];
tflite::MicroErrorReporter reporter;
tflite::MicroMutableOpResolver<9> resolver;
tflite::MicroInterpreter* interpreter = nullptr;
alignas(tflite::MicroInterpreter) uint8_t interpreterMemory[sizeof(tflite::MicroInterpreter)];
bool resolverReady = false;
}  // namespace

bool ModelRunner::load(const uint8_t* model, size_t length, int inputs, String& why) {
  ready_ = false;
  const tflite::Model* m = tflite::GetModel(model);
  flatbuffers::Verifier verifier(model, length);
  if (!m->Verify(verifier)) {
    why = "not a valid .tflite flatbuffer";
    return false;
  }
  if (m->version() != TFLITE_SCHEMA_VERSION) {
    why = "schema version " + String(m->version()) + ", this firmware reads " + String(TFLITE_SCHEMA_VERSION);
    return false;
  }
  if (!resolverReady) {
    resolver.AddFullyConnected();
    resolver.AddLogistic();
    resolver.AddRelu();
    resolver.AddSoftmax();
    resolver.AddQuantize();
    resolver.AddDequantize();
    resolver.AddReshape();
    resolver.AddAdd();
    resolver.AddMul();
    resolverReady = true;
  }
  if (interpreter != nullptr) {
    interpreter->~MicroInterpreter();
  }
  interpreter = new (interpreterMemory) tflite::MicroInterpreter(m, resolver, arena, kArenaBytes, &reporter);
  if (interpreter->AllocateTensors() != kTfLiteOk) {
    why = "cannot allocate tensors (an op this firmware lacks, or more than " + String(kArenaBytes) + " bytes)";
    return false;
  }
  TfLiteTensor* in = interpreter->input(0);
  TfLiteTensor* out = interpreter->output(0);
  if (in->type != kTfLiteFloat32 || out->type != kTfLiteFloat32 || (int) (in->bytes / sizeof(float)) != inputs) {
    why = "the model takes " + String(in->bytes / sizeof(float)) + " float inputs, the schema names "
        + String(inputs);
    return false;
  }
  inputs_ = inputs;
  ready_ = true;
  return true;
}

float ModelRunner::score(const float* x) {
  if (!ready_) {
    return NAN;
  }
  memcpy(interpreter->input(0)->data.f, x, inputs_ * sizeof(float));
  if (interpreter->Invoke() != kTfLiteOk) {
    return NAN;
  }
  return interpreter->output(0)->data.f[0];
}
