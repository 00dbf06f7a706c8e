// Model OTA: the retained announcement on aiot/v1/models/<name>/latest names a version; the
// device downloads it over HTTPS with its own token (resuming with Range after a drop), checks
// size and sha256, verifies the registry's Ed25519 signature over
// "aiot-model-v1\n<name>\n<version>\n<sha256>\n<size>\n" with the key it was flashed with, and
// only then keeps it (LittleFS /model.tflite + /model.json) for the runner. Each step is
// reported as a rollout state (downloading / verified / failed) on the status topic.
#pragma once

#include <Arduino.h>

#include <functional>
#include <vector>

struct Announcement {
  String name;
  int version = 0;
  String sha256;
  long size = 0;
  String url;
  String signature;              // base64, 64 bytes
  std::vector<String> features;  // inputSchema.features, the model's input order
};

using RolloutReport = std::function<void(int version, const char* state, const char* detail)>;

// Parses an announcement; false with the reason (a missing or malformed field).
bool parseAnnouncement(const uint8_t* payload, size_t length, Announcement& out, String& why);

// Downloads, checks and keeps the model; false with the reason, the previous model untouched.
bool fetchModel(const Announcement& a, const RolloutReport& report, String& why);

// The kept model: its bytes (heap, owned by the caller) and announcement; false when none.
bool loadKeptModel(std::vector<uint8_t>& model, Announcement& a);
