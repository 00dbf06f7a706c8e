/*
 * aiot-edge device protocol, portable C99: the payloads a sensor device writes and the statement
 * a model signature covers, byte for byte as the Java side reads and signs them (docs/frames.md,
 * docs/platform.md). No heap, no globals; every function writes into a caller's buffer and
 * returns the length written, or 0 when the buffer is too small or the input is refused.
 * FirmwareProtocolIT builds the host test and checks its output with the Java decoders.
 */
#ifndef AIOT_PROTOCOL_H
#define AIOT_PROTOCOL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "<channel>_<feature>" for feature index i of a channel (docs/features.md): the six base
 * features, then "band_<low>_<high>" for band i - 6 of bands[]. */
size_t aiot_feature_name(char *out, size_t cap, const char *channel, int i, const int (*bands)[2], int nbands);

/* Telemetry JSON {"schema":1,"deviceId":..,"ts":..,"seq":..,"features":{..}}; 0 if a value is
 * not finite, a name or the id needs escaping, or it does not fit. */
size_t aiot_telemetry_json(char *out, size_t cap, const char *device_id, long long ts_millis, unsigned long seq,
                           const char *const *names, const double *values, int count);

/* What a model version's Ed25519 signature covers:
 * "aiot-model-v1\n<name>\n<version>\n<sha256 hex>\n<size>\n". */
size_t aiot_model_statement(char *out, size_t cap, const char *name, int version, const char *sha256_hex,
                            long long size);

/* The retained status report: {"state":..,"firmware":..,"model":"<name>:<version>","rollout":
 * {"model":..,"version":..,"state":..,"detail":..}}; model_version 0 leaves "model" out,
 * rollout_version 0 leaves "rollout" out. */
size_t aiot_status_json(char *out, size_t cap, const char *state, const char *firmware, const char *model_name,
                        int model_version, int rollout_version, const char *rollout_state, const char *detail);

/* Picks the model's inputs by name from a feature vector into in[]; returns 0, or 1 + the index
 * of the first model feature the vector lacks. */
int aiot_select_inputs(const char *const *model_features, int n_model, const char *const *names,
                       const double *values, int count, float *in);

/* Lower-case hex of 32 bytes into out (65 bytes with the terminating NUL). */
void aiot_hex32(const unsigned char bytes[32], char out[65]);

#ifdef __cplusplus
}
#endif

#endif
