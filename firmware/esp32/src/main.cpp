// aiot-edge sensor firmware: samples the motor's four channels, computes the feature vector with
// the shared C DSP core, publishes telemetry to aiot/v1/things/<id>/telemetry with the device's
// own credentials over TLS, follows the signed model announcements, scores every window with
// TensorFlow Lite Micro, and drives the servo on control commands (and on its own FAILURE score
// when the platform is out of reach).
#include <Arduino.h>
#include <ArduinoJson.h>
#include <ESP32Servo.h>
#include <LittleFS.h>
#include <PubSubClient.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <sys/time.h>

#include <vector>

#include "aiot_dsp.h"
#include "aiot_protocol.h"
#include "device_config.h"
#include "model_ota.h"
#include "model_runner.h"
#include "sampler.h"

namespace {
const char* kChannelNames[kChannels] = {"current", "temperature", "vibration", "sound"};
const aiot_band_t kBands[] = {{0, 500}, {500, 1500}, {1500, 3000}, {3000, 6548}};
const int kBandPairs[][2] = {{0, 500}, {500, 1500}, {1500, 3000}, {3000, 6548}};
constexpr int kBandCount = 4;
constexpr int kPerChannel = AIOT_DSP_BASE_FEATURES + kBandCount;
constexpr int kFeatures = kChannels * kPerChannel;
constexpr float kFailure = 0.8f;   // inference.failure
constexpr int kConfirm = 2;        // inference.confirmWindows

const String kBase = String("aiot/v1/things/") + AIOT_DEVICE_ID;
const String kTelemetry = kBase + "/telemetry";
const String kControl = kBase + "/control";
const String kStatus = kBase + "/status";
const String kModels = String("aiot/v1/models/") + AIOT_MODEL_NAME + "/latest";

WiFiClientSecure tls;
PubSubClient mqtt(tls);
Servo servo;
ModelRunner runner;
aiot_dsp_t dsp;
alignas(8) uint8_t dspMemory[32 * 1024];
float samples[kChannels][kWindow];
double features[kFeatures];
char names[kFeatures][40];
const char* namePtrs[kFeatures];
std::vector<uint8_t> modelBytes;  // the running model (TFLM reads it in place)
Announcement running;
Announcement pending;
bool hasPending = false;
unsigned long seq = 0;
int aboveFailure = 0;

long long nowMillis() {
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  return (long long) tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

void publishStatus(int rolloutVersion, const char* state, const char* detail) {
  char buf[384];
  if (aiot_status_json(buf, sizeof buf, "online", AIOT_FIRMWARE_VERSION, AIOT_MODEL_NAME, running.version,
                       rolloutVersion, state, detail) > 0) {
    mqtt.publish(kStatus.c_str(), buf, true);
  }
}

void onMessage(char* topic, uint8_t* payload, unsigned int length) {
  if (kModels == topic) {
    String why;
    Announcement a;
    if (!parseAnnouncement(payload, length, a, why)) {
      Serial.printf("announcement refused: %s\n", why.c_str());
    } else if (a.version != running.version) {
      pending = a;  // fetched from loop(): a download must not block the MQTT client's callback
      hasPending = true;
    }
    return;
  }
  if (kControl == topic) {
    JsonDocument cmd;
    if (!deserializeJson(cmd, payload, length) && String(cmd["command"] | "") == "servo") {
      int angle = cmd["angle"] | -1;
      if (angle >= 0 && angle <= 180) {
        servo.write(angle);
        Serial.printf("servo -> %d (%s)\n", angle, (const char*) (cmd["reason"] | ""));
      }
    }
  }
}

void connectMqtt() {
  static const char* offline = "{\"state\":\"offline\",\"firmware\":\"" AIOT_FIRMWARE_VERSION "\"}";
  while (!mqtt.connected()) {
    if (mqtt.connect(AIOT_DEVICE_ID, AIOT_DEVICE_ID, AIOT_DEVICE_SECRET, kStatus.c_str(), 1, true, offline)) {
      mqtt.subscribe(kControl.c_str(), 1);
      mqtt.subscribe(kModels.c_str(), 1);
      publishStatus(0, nullptr, nullptr);
    } else {
      Serial.printf("MQTT connect failed (state %d), retrying\n", mqtt.state());
      delay(5000);
    }
  }
}

void activate(std::vector<uint8_t>&& bytes, const Announcement& a) {
  String why;
  std::vector<uint8_t> previous = std::move(modelBytes);
  modelBytes = std::move(bytes);
  if (runner.load(modelBytes.data(), modelBytes.size(), (int) a.features.size(), why)) {
    running = a;
    publishStatus(a.version, "active", "");
  } else {
    modelBytes = std::move(previous);  // keep serving the old one
    if (!modelBytes.empty()) {
      runner.load(modelBytes.data(), modelBytes.size(), (int) running.features.size(), why);
    }
    publishStatus(a.version, "failed", why.c_str());
  }
}

void rollOut() {
  hasPending = false;
  String why;
  Announcement a = pending;
  if (!fetchModel(a, publishStatus, why)) {
    Serial.printf("model v%d refused: %s\n", a.version, why.c_str());
    return;
  }
  std::vector<uint8_t> bytes;
  Announcement kept;
  if (loadKeptModel(bytes, kept)) {
    activate(std::move(bytes), kept);
  }
}

void scoreLocally() {
  if (!runner.ready()) {
    return;
  }
  std::vector<const char*> want;
  for (const String& f : running.features) {
    want.push_back(f.c_str());
  }
  float in[kFeatures];
  if (want.size() > (size_t) kFeatures
      || aiot_select_inputs(want.data(), (int) want.size(), namePtrs, features, kFeatures, in) != 0) {
    return;
  }
  float score = runner.score(in);
  aboveFailure = score >= kFailure ? aboveFailure + 1 : 0;
  if (aboveFailure == kConfirm && !mqtt.connected()) {
    servo.write(90);  // the platform would command this; act on our own while it cannot
    Serial.printf("local FAILURE (score %.3f): servo -> 90\n", score);
  }
}
}  // namespace

void setup() {
  Serial.begin(115200);
  LittleFS.begin(true);
  servo.attach(AIOT_PIN_SERVO);
  aiot_dsp_init(&dsp, dspMemory, kWindow, kSampleRate, AIOT_WIN_HAMMING, kBands, kBandCount);
  for (int c = 0, n = 0; c < kChannels; c++) {
    for (int i = 0; i < kPerChannel; i++, n++) {
      aiot_feature_name(names[n], sizeof names[n], kChannelNames[c], i, kBandPairs, kBandCount);
      namePtrs[n] = names[n];
    }
  }
  WiFi.begin(AIOT_WIFI_SSID, AIOT_WIFI_PASSWORD);
  while (WiFi.status() != WL_CONNECTED) {
    delay(250);
  }
  configTime(0, 0, "pool.ntp.org");
  while (time(nullptr) < 1700000000) {  // TLS and telemetry timestamps need the real time
    delay(250);
  }
  tls.setCACert(AIOT_CA_PEM);
  mqtt.setServer(AIOT_MQTT_HOST, AIOT_MQTT_PORT);
  mqtt.setBufferSize(4096);
  mqtt.setCallback(onMessage);
  std::vector<uint8_t> bytes;
  Announcement kept;
  if (loadKeptModel(bytes, kept)) {  // the last good model, without the network
    activate(std::move(bytes), kept);
  }
}

void loop() {
  if (!mqtt.connected()) {
    connectMqtt();
  }
  mqtt.loop();
  if (hasPending) {
    rollOut();
  }
  double rate = sampleWindow(samples);
  if (rate < kSampleRate * 0.98) {
    Serial.printf("sampling at %.0f Hz, below %.0f\n", rate, kSampleRate);
  }
  for (int c = 0; c < kChannels; c++) {
    aiot_dsp_channel(&dsp, samples[c], features + c * kPerChannel);
  }
  static char json[4096];
  if (aiot_telemetry_json(json, sizeof json, AIOT_DEVICE_ID, nowMillis(), seq++, namePtrs, features, kFeatures) > 0) {
    mqtt.publish(kTelemetry.c_str(), json);
  }
  scoreLocally();
}
