/* Host tests of the device protocol, then the payloads for FirmwareProtocolIT to decode in Java. */
#include "../aiot_protocol.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int checks;
static int failures;

static void check(int ok, const char *what) {
    checks++;
    if (!ok) {
        failures++;
        printf("FAIL: %s\n", what);
    }
}

static const char *const CHANNELS[] = {"current", "temperature", "vibration", "sound"};
static const int BANDS[][2] = {{0, 500}, {500, 1500}, {1500, 3000}, {3000, 6548}};

int main(void) {
    char names[40][48];
    const char *name_ptrs[40];
    double values[40];
    char buf[4096];
    int c;
    int i;
    int n = 0;
    for (c = 0; c < 4; c++) {
        for (i = 0; i < 10; i++) {
            check(aiot_feature_name(names[n], sizeof names[n], CHANNELS[c], i, BANDS, 4) > 0, "feature name");
            name_ptrs[n] = names[n];
            values[n] = n * 0.5 + 0.125;
            n++;
        }
    }
    values[3] = 1e-7;
    values[7] = 12345.678;
    values[39] = -2.5e-3;
    check(strcmp(names[0], "current_mean") == 0, "first name");
    check(strcmp(names[9], "current_band_3000_6548") == 0, "band name");
    check(strcmp(names[24], "vibration_peak_hz") == 0, "vibration peak");
    check(aiot_feature_name(buf, sizeof buf, "current", 10, BANDS, 4) == 0, "index past the bands refused");
    check(aiot_feature_name(buf, 8, "current", 0, BANDS, 4) == 0, "too small a buffer refused");

    size_t t = aiot_telemetry_json(buf, sizeof buf, "motor-17", 1795689600123LL, 42, name_ptrs, values, 40);
    check(t > 0 && t == strlen(buf), "telemetry fits");
    printf("TELEMETRY %s\n", buf);
    check(aiot_telemetry_json(buf, 64, "motor-17", 1, 1, name_ptrs, values, 40) == 0, "small buffer refused");
    check(aiot_telemetry_json(buf, sizeof buf, "bad\"id", 1, 1, name_ptrs, values, 40) == 0, "quote in id refused");
    check(aiot_telemetry_json(buf, sizeof buf, "motor/17", 1, 1, name_ptrs, values, 40) == 0, "slash in id refused");
    values[5] = NAN;
    check(aiot_telemetry_json(buf, sizeof buf, "motor-17", 1, 1, name_ptrs, values, 40) == 0, "NaN refused");
    values[5] = 2.625;

    const char *sha = "a81521dc61c07dd9e5b5d3dc2422efe3c7404ae06b62226756b908f3e221bd50";
    size_t s = aiot_model_statement(buf, sizeof buf, "motor-condition", 4, sha, 1856);
    check(s == strlen(buf), "statement");
    printf("STATEMENT_HEX ");
    for (i = 0; i < (int) s; i++) {
        printf("%02x", (unsigned char) buf[i]);
    }
    printf("\n");
    check(aiot_model_statement(buf, sizeof buf, "motor-condition", 4, "abc", 1856) == 0, "short sha refused");
    check(aiot_model_statement(buf, sizeof buf, "motor-condition", 0, sha, 1856) == 0, "version 0 refused");

    check(aiot_status_json(buf, sizeof buf, "online", "1.0.0", "motor-condition", 3, 4, "downloading",
                           "41% \"quoted\"") > 0, "status");
    printf("STATUS %s\n", buf);
    check(strstr(buf, "\\") == NULL && strstr(buf, "41% ?quoted?") != NULL, "detail made safe");
    check(aiot_status_json(buf, sizeof buf, "online", "1.0.0", "motor-condition", 0, 0, NULL, NULL) > 0
          && strcmp(buf, "{\"state\":\"online\",\"firmware\":\"1.0.0\"}") == 0, "bare status");

    const char *model[] = {"vibration_rms", "current_mean"};
    float in[2];
    check(aiot_select_inputs(model, 2, name_ptrs, values, 40, in) == 0 && in[0] == (float) values[21]
          && in[1] == (float) values[0], "inputs by name");
    const char *missing[] = {"vibration_rms", "oil_pressure"};
    check(aiot_select_inputs(missing, 2, name_ptrs, values, 40, in) == 2, "a missing input is named");

    unsigned char bytes[32];
    char hex[65];
    for (i = 0; i < 32; i++) {
        bytes[i] = (unsigned char) (i * 8 + 1);
    }
    aiot_hex32(bytes, hex);
    check(strncmp(hex, "01091119", 8) == 0 && strlen(hex) == 64, "hex");

    printf("protocol: %d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
