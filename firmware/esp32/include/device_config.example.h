// Per-device settings. Copy to device_config.h (git-ignored) and fill in from
// `aiot-edge devices provision <id>` (id, secret) and `aiot-edge models pubkey`.
#pragma once

#define AIOT_WIFI_SSID "plant-iot"
#define AIOT_WIFI_PASSWORD "..."

#define AIOT_DEVICE_ID "motor-17"
#define AIOT_DEVICE_SECRET "..."          // MQTT password; the API token is "<id>.<secret>"

#define AIOT_MQTT_HOST "platform.plant.local"
#define AIOT_MQTT_PORT 8883               // TLS (mqtt.tlsPort)
#define AIOT_API_BASE "https://platform.plant.local:8443"
#define AIOT_MODEL_NAME "motor-condition"

// The CA that signed the platform's certificates (PEM). Both MQTT and the API are verified
// against it; there is no insecure mode.
#define AIOT_CA_PEM \
  "-----BEGIN CERTIFICATE-----\n" \
  "...\n" \
  "-----END CERTIFICATE-----\n"

// `aiot-edge models pubkey`: the raw 32-byte Ed25519 key, base64 (44 characters). Models whose
// signature does not verify with it never run.
#define AIOT_MODEL_PUBKEY_B64 "..."

// ADC pins of the four channels, in dsp.channels order, and the servo's PWM pin.
#define AIOT_PIN_CURRENT 36
#define AIOT_PIN_TEMPERATURE 39
#define AIOT_PIN_VIBRATION 34
#define AIOT_PIN_SOUND 35
#define AIOT_PIN_SERVO 13
