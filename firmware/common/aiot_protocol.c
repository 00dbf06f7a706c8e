#include "aiot_protocol.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const BASE[] = {"mean", "rms", "crest", "kurtosis", "peak_hz", "peak_mag"};

/* Appends printf output at *len; 0 once it no longer fits. */
static int put(char *out, size_t cap, size_t *len, const char *fmt, ...) {
    va_list ap;
    int n;
    if (*len >= cap) {
        return 0;
    }
    va_start(ap, fmt);
    n = vsnprintf(out + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t) n >= cap - *len) {
        *len = cap;
        return 0;
    }
    *len += (size_t) n;
    return 1;
}

/* Ids and names are plain: letters, digits and . _ - : (no JSON escaping needed or done). */
static int plain(const char *s) {
    if (s == NULL || *s == '\0') {
        return 0;
    }
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
              || c == '-' || c == ':')) {
            return 0;
        }
    }
    return 1;
}

size_t aiot_feature_name(char *out, size_t cap, const char *channel, int i, const int (*bands)[2], int nbands) {
    size_t len = 0;
    if (i < 0 || i >= 6 + nbands || !plain(channel)) {
        return 0;
    }
    if (i < 6) {
        return put(out, cap, &len, "%s_%s", channel, BASE[i]) ? len : 0;
    }
    return put(out, cap, &len, "%s_band_%d_%d", channel, bands[i - 6][0], bands[i - 6][1]) ? len : 0;
}

size_t aiot_telemetry_json(char *out, size_t cap, const char *device_id, long long ts_millis, unsigned long seq,
                           const char *const *names, const double *values, int count) {
    size_t len = 0;
    int i;
    if (!plain(device_id) || count < 1) {
        return 0;
    }
    if (!put(out, cap, &len, "{\"schema\":1,\"deviceId\":\"%s\",\"ts\":%lld,\"seq\":%lu,\"features\":{", device_id,
             ts_millis, seq)) {
        return 0;
    }
    for (i = 0; i < count; i++) {
        if (!plain(names[i]) || !isfinite(values[i])) {
            return 0;
        }
        if (!put(out, cap, &len, "%s\"%s\":%.9g", i == 0 ? "" : ",", names[i], values[i])) {
            return 0;
        }
    }
    return put(out, cap, &len, "}}") ? len : 0;
}

size_t aiot_model_statement(char *out, size_t cap, const char *name, int version, const char *sha256_hex,
                            long long size) {
    size_t len = 0;
    if (!plain(name) || version < 1 || sha256_hex == NULL || strlen(sha256_hex) != 64 || size < 0) {
        return 0;
    }
    return put(out, cap, &len, "aiot-model-v1\n%s\n%d\n%s\n%lld\n", name, version, sha256_hex, size) ? len : 0;
}

size_t aiot_status_json(char *out, size_t cap, const char *state, const char *firmware, const char *model_name,
                        int model_version, int rollout_version, const char *rollout_state, const char *detail) {
    size_t len = 0;
    if (!plain(state) || !plain(firmware) || ((model_version > 0 || rollout_version > 0) && !plain(model_name))) {
        return 0;
    }
    if (!put(out, cap, &len, "{\"state\":\"%s\",\"firmware\":\"%s\"", state, firmware)) {
        return 0;
    }
    if (model_version > 0 && !put(out, cap, &len, ",\"model\":\"%s:%d\"", model_name, model_version)) {
        return 0;
    }
    if (rollout_version > 0) {
        if (!plain(rollout_state)) {
            return 0;
        }
        if (!put(out, cap, &len, ",\"rollout\":{\"model\":\"%s\",\"version\":%d,\"state\":\"%s\"", model_name,
                 rollout_version, rollout_state)) {
            return 0;
        }
        if (detail != NULL && *detail != '\0') {
            /* details are free text: keep printable ASCII other than quote and backslash */
            char safe[96];
            size_t k = 0;
            for (; *detail && k + 1 < sizeof safe; detail++) {
                char c = *detail;
                safe[k++] = (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? c : '?';
            }
            safe[k] = '\0';
            if (!put(out, cap, &len, ",\"detail\":\"%s\"", safe)) {
                return 0;
            }
        }
        if (!put(out, cap, &len, "}")) {
            return 0;
        }
    }
    return put(out, cap, &len, "}") ? len : 0;
}

int aiot_select_inputs(const char *const *model_features, int n_model, const char *const *names,
                       const double *values, int count, float *in) {
    int m;
    int i;
    for (m = 0; m < n_model; m++) {
        for (i = 0; i < count; i++) {
            if (strcmp(model_features[m], names[i]) == 0) {
                break;
            }
        }
        if (i == count) {
            return 1 + m;
        }
        in[m] = (float) values[i];
    }
    return 0;
}

void aiot_hex32(const unsigned char bytes[32], char out[65]) {
    static const char HEX[] = "0123456789abcdef";
    int i;
    for (i = 0; i < 32; i++) {
        out[2 * i] = HEX[bytes[i] >> 4];
        out[2 * i + 1] = HEX[bytes[i] & 15];
    }
    out[64] = '\0';
}
