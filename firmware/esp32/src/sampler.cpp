#include "sampler.h"

#include <Arduino.h>

#include "device_config.h"

namespace {
const int kPins[kChannels] = {AIOT_PIN_CURRENT, AIOT_PIN_TEMPERATURE, AIOT_PIN_VIBRATION, AIOT_PIN_SOUND};
// Volts at the ADC to the channel's unit (A, degC, g, Pa); set for the sensors fitted.
const float kScale[kChannels] = {10.0f, 100.0f, 1.0f, 1.0f};
const float kOffset[kChannels] = {-16.5f, -50.0f, -1.65f, -1.65f};
}  // namespace

double sampleWindow(float samples[kChannels][kWindow]) {
  const uint32_t period = (uint32_t) (ESP.getCpuFreqMHz() * 1e6 / kSampleRate);
  uint32_t next = ESP.getCycleCount();
  const uint32_t start = next;
  for (int i = 0; i < kWindow; i++) {
    while ((int32_t) (ESP.getCycleCount() - next) < 0) {
    }
    next += period;
    for (int c = 0; c < kChannels; c++) {
      samples[c][i] = analogReadMilliVolts(kPins[c]) * 0.001f * kScale[c] + kOffset[c];
    }
  }
  const uint32_t cycles = ESP.getCycleCount() - start;
  return kWindow * (ESP.getCpuFreqMHz() * 1e6) / (double) cycles;
}
