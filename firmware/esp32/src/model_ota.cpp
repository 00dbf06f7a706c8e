#include "model_ota.h"

#include <ArduinoJson.h>
#include <Ed25519.h>
#include <HTTPClient.h>
#include <LittleFS.h>
#include <WiFiClientSecure.h>
#include <mbedtls/base64.h>
#include <mbedtls/sha256.h>

#include "aiot_protocol.h"
#include "device_config.h"

namespace {
constexpr long kMaxModelBytes = 256 * 1024;
constexpr int kAttempts = 4;
const char* kPart = "/model.part";

bool decodeBase64(const char* in, uint8_t* out, size_t expected) {
  size_t n = 0;
  return mbedtls_base64_decode(out, expected, &n, (const unsigned char*) in, strlen(in)) == 0 && n == expected;
}

// Appends the rest of the file from the server to /model.part, resuming at its current size.
bool download(const Announcement& a, const RolloutReport& report, String& why) {
  WiFiClientSecure tls;
  tls.setCACert(AIOT_CA_PEM);
  for (int attempt = 1; attempt <= kAttempts; attempt++) {
    File part = LittleFS.open(kPart, FILE_APPEND);
    long have = part.size();
    if (have >= a.size) {
      part.close();
      return have == a.size;
    }
    HTTPClient http;
    http.begin(tls, a.url);
    http.addHeader("Authorization", String("Bearer ") + AIOT_DEVICE_ID + "." + AIOT_DEVICE_SECRET);
    if (have > 0) {
      http.addHeader("Range", "bytes=" + String(have) + "-");
      http.addHeader("If-Range", "\"" + a.sha256 + "\"");
    }
    int code = http.GET();
    if (code == 200 && have > 0) {  // the server ignored the range: start over
      part.close();
      part = LittleFS.open(kPart, FILE_WRITE);
      have = 0;
    }
    if (code == 200 || code == 206) {
      WiFiClient* body = http.getStreamPtr();
      uint8_t buf[1024];
      uint32_t lastReport = 0;
      while (http.connected() && have < a.size) {
        int n = body->readBytes(buf, (size_t) min((long) sizeof buf, a.size - have));
        if (n <= 0) {
          break;
        }
        part.write(buf, n);
        have += n;
        if (millis() - lastReport > 1000) {
          report(a.version, "downloading", (String(have * 100 / a.size) + "%").c_str());
          lastReport = millis();
        }
      }
    } else {
      why = "HTTP " + String(code) + " for " + a.url;
    }
    part.close();
    http.end();
    if (have == a.size) {
      return true;
    }
    delay(1000 * attempt);
  }
  if (why.isEmpty()) {
    why = "download incomplete after " + String(kAttempts) + " attempts";
  }
  return false;
}

// sha256 of /model.part as lower-case hex.
String sha256OfPart() {
  File f = LittleFS.open(kPart, FILE_READ);
  mbedtls_sha256_context ctx;
  mbedtls_sha256_init(&ctx);
  mbedtls_sha256_starts_ret(&ctx, 0);
  uint8_t buf[1024];
  size_t n;
  while ((n = f.read(buf, sizeof buf)) > 0) {
    mbedtls_sha256_update_ret(&ctx, buf, n);
  }
  f.close();
  uint8_t digest[32];
  mbedtls_sha256_finish_ret(&ctx, digest);
  mbedtls_sha256_free(&ctx);
  char hex[65];
  aiot_hex32(digest, hex);
  return String(hex);
}

bool signatureValid(const Announcement& a) {
  uint8_t key[32];
  uint8_t sig[64];
  char statement[256];
  size_t len = aiot_model_statement(statement, sizeof statement, a.name.c_str(), a.version, a.sha256.c_str(),
                                    a.size);
  return len > 0 && decodeBase64(AIOT_MODEL_PUBKEY_B64, key, sizeof key)
      && decodeBase64(a.signature.c_str(), sig, sizeof sig) && Ed25519::verify(sig, key, statement, len);
}
}  // namespace

bool parseAnnouncement(const uint8_t* payload, size_t length, Announcement& out, String& why) {
  JsonDocument doc;
  DeserializationError err = deserializeJson(doc, payload, length);
  if (err) {
    why = String("not JSON: ") + err.c_str();
    return false;
  }
  out.name = doc["name"] | "";
  out.version = doc["version"] | 0;
  out.sha256 = doc["sha256"] | "";
  out.size = doc["size"] | 0L;
  out.url = doc["url"] | "";
  out.signature = doc["signature"] | "";
  out.features.clear();
  for (JsonVariant f : doc["inputSchema"]["features"].as<JsonArray>()) {
    out.features.push_back(f.as<String>());
  }
  if (out.name.isEmpty() || out.version < 1 || out.sha256.length() != 64 || out.size < 1
      || out.size > kMaxModelBytes || !out.url.startsWith("https://") || out.signature.isEmpty()
      || out.features.empty()) {
    why = "announcement lacks name, version, sha256, size (<= 256 KiB), an https url, signature or features";
    return false;
  }
  return true;
}

bool fetchModel(const Announcement& a, const RolloutReport& report, String& why) {
  // a partial file resumes only the download it was started for
  File tag = LittleFS.open("/model.part.sha256", FILE_READ);
  String partOf = tag ? tag.readString() : String();
  tag.close();
  if (partOf != a.sha256) {
    LittleFS.remove(kPart);
    tag = LittleFS.open("/model.part.sha256", FILE_WRITE);
    tag.print(a.sha256);
    tag.close();
  }
  report(a.version, "downloading", "0%");
  if (!download(a, report, why)) {
    report(a.version, "failed", why.c_str());
    return false;
  }
  String sha = sha256OfPart();
  if (sha != a.sha256) {
    LittleFS.remove(kPart);
    why = "sha256 " + sha + " is not the announced " + a.sha256;
  } else if (!signatureValid(a)) {
    LittleFS.remove(kPart);
    why = "the signature does not verify with the flashed key";
  } else {
    LittleFS.remove("/model.tflite");
    LittleFS.rename(kPart, "/model.tflite");
    JsonDocument meta;
    meta["name"] = a.name;
    meta["version"] = a.version;
    meta["sha256"] = a.sha256;
    meta["size"] = a.size;
    for (const String& f : a.features) {
      meta["features"].add(f);
    }
    File m = LittleFS.open("/model.json", FILE_WRITE);
    serializeJson(meta, m);
    m.close();
    report(a.version, "verified", "");
    return true;
  }
  report(a.version, "failed", why.c_str());
  return false;
}

bool loadKeptModel(std::vector<uint8_t>& model, Announcement& a) {
  File m = LittleFS.open("/model.json", FILE_READ);
  if (!m) {
    return false;
  }
  JsonDocument meta;
  if (deserializeJson(meta, m)) {
    return false;
  }
  m.close();
  a.name = meta["name"] | "";
  a.version = meta["version"] | 0;
  a.sha256 = meta["sha256"] | "";
  a.size = meta["size"] | 0L;
  a.features.clear();
  for (JsonVariant f : meta["features"].as<JsonArray>()) {
    a.features.push_back(f.as<String>());
  }
  File f = LittleFS.open("/model.tflite", FILE_READ);
  if (!f || (long) f.size() != a.size) {
    return false;
  }
  model.resize(a.size);
  f.read(model.data(), a.size);
  f.close();
  // re-check on every boot: flash can rot, and a model is only run as it was signed
  mbedtls_sha256_context ctx;
  mbedtls_sha256_init(&ctx);
  mbedtls_sha256_starts_ret(&ctx, 0);
  mbedtls_sha256_update_ret(&ctx, model.data(), model.size());
  uint8_t digest[32];
  mbedtls_sha256_finish_ret(&ctx, digest);
  mbedtls_sha256_free(&ctx);
  char hex[65];
  aiot_hex32(digest, hex);
  return a.sha256 == hex;
}
