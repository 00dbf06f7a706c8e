/*
 * Host tests of the portable DSP core: known answers, then the shared test vectors written by
 * the Java DSP (firmware/testvectors/features.txt): every feature within 1e-4 relative error.
 * Usage: aiot_dsp_test <vectors file>. Exit code 0 = all passed.
 */
#include "../aiot_dsp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static int failures = 0;

static void check(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "FAIL: %s\n", what);
        failures++;
    }
}

static void known_answers(void) {
    int n = 1024;
    double rate = 13095, out[AIOT_DSP_BASE_FEATURES];
    aiot_dsp_t d;
    void *mem = malloc(aiot_dsp_memory(n));
    float *x = malloc(sizeof(float) * n);
    check(aiot_dsp_init(&d, mem, 1000, rate, AIOT_WIN_HAMMING, NULL, 0) == -1, "refuses a window that is not a power of two");
    check(aiot_dsp_init(&d, mem, n, rate, AIOT_WIN_HANN, NULL, 0) == 0, "init");
    double bin = rate / n, worst = 0;
    for (int t = 0; t < 100; t++) {
        double hz = bin * (3 + t * (n / 2.0 - 6) / 100.0 + 0.37);
        for (int i = 0; i < n; i++) {
            x[i] = (float)(2.0 * sin(2 * M_PI * hz * i / rate + t));
        }
        aiot_dsp_channel(&d, x, out);
        double err = fabs(out[4] - hz) / bin;
        worst = err > worst ? err : worst;
    }
    check(worst < 0.1, "sine peaks within a tenth of a bin");
    for (int i = 0; i < n; i++) {
        x[i] = (float)(3.0 * sin(2 * M_PI * 16 * i / n + 0.3));
    }
    aiot_dsp_channel(&d, x, out);
    check(fabs(out[1] - 3.0 / sqrt(2)) < 1e-4, "RMS of a sine is A/sqrt(2)");
    check(fabs(out[3] - 1.5) < 1e-3, "kurtosis of a sine is 1.5");
    free(x);
    free(mem);
}

static int vectors(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "FAIL: cannot open %s\n", path);
        return -1;
    }
    char word[32], name[128];
    int cases = 0;
    while (fscanf(f, "%31s", word) == 1) {
        if (word[0] == '#') {
            int c;
            while ((c = fgetc(f)) != '\n' && c != EOF) {
            }
            continue;
        }
        if (strcmp(word, "case") != 0) {
            fprintf(stderr, "FAIL: unexpected '%s' in %s\n", word, path);
            return -1;
        }
        int n, window, nbands;
        double rate;
        aiot_band_t bands[AIOT_DSP_MAX_BANDS];
        if (fscanf(f, "%127s %d %lf %d %d", name, &n, &rate, &window, &nbands) != 5 || nbands > AIOT_DSP_MAX_BANDS) {
            fprintf(stderr, "FAIL: bad case header\n");
            return -1;
        }
        for (int b = 0; b < nbands; b++) {
            if (fscanf(f, "%d %d", &bands[b].low_hz, &bands[b].high_hz) != 2) {
                return -1;
            }
        }
        float *x = malloc(sizeof(float) * n);
        double expect[AIOT_DSP_BASE_FEATURES + AIOT_DSP_MAX_BANDS], out[AIOT_DSP_BASE_FEATURES + AIOT_DSP_MAX_BANDS];
        void *mem = malloc(aiot_dsp_memory(n));
        aiot_dsp_t d;
        if (fscanf(f, "%31s", word) != 1 || strcmp(word, "samples") != 0) {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            if (fscanf(f, "%f", &x[i]) != 1) {
                return -1;
            }
        }
        int k = AIOT_DSP_BASE_FEATURES + nbands;
        if (fscanf(f, "%31s", word) != 1 || strcmp(word, "expect") != 0) {
            return -1;
        }
        for (int i = 0; i < k; i++) {
            if (fscanf(f, "%lf", &expect[i]) != 1) {
                return -1;
            }
        }
        aiot_dsp_init(&d, mem, n, rate, (aiot_window_t)window, bands, nbands);
        aiot_dsp_channel(&d, x, out);
        for (int i = 0; i < k; i++) {
            double tol = 1e-4 * fmax(fabs(expect[i]), 1e-9);
            if (fabs(out[i] - expect[i]) > tol) {
                fprintf(stderr, "FAIL: %s feature %d: C %.17g, Java %.17g\n", name, i, out[i], expect[i]);
                failures++;
            }
        }
        cases++;
        free(x);
        free(mem);
    }
    fclose(f);
    return cases;
}

int main(int argc, char **argv) {
    known_answers();
    int cases = argc > 1 ? vectors(argv[1]) : 0;
    if (cases < 0) {
        failures++;
    }
    printf("%d vector cases, %d failures\n", cases < 0 ? 0 : cases, failures);
    return failures == 0 ? 0 : 1;
}
