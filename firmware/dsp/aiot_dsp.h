/*
 * aiot-edge portable DSP core: the same feature vector as the gateway's Java FeatureExtractor
 * (docs/features.md), for the ESP32 firmware and any C host. No heap use after init, no
 * globals: one aiot_dsp_t per thread/task. Shared test vectors (firmware/testvectors/) keep
 * the C and Java results within 1e-4 relative error.
 */
#ifndef AIOT_DSP_H
#define AIOT_DSP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { AIOT_WIN_HAMMING = 0, AIOT_WIN_HANN = 1, AIOT_WIN_RECTANGULAR = 2 } aiot_window_t;

typedef struct {
    int low_hz;  /* inclusive */
    int high_hz; /* exclusive */
} aiot_band_t;

/* Per-channel features before the bands, in order (docs/features.md). */
#define AIOT_DSP_BASE_FEATURES 6 /* mean, rms, crest, kurtosis, peak_hz, peak_mag */
#define AIOT_DSP_MAX_BANDS 16

typedef struct {
    int n;
    double rate;
    int nbands;
    int band_bins[AIOT_DSP_MAX_BANDS][2];
    double window_sum;
    double *window; /* n */
    double *re;     /* n */
    double *im;     /* n */
    double *power;  /* n/2 + 1 */
} aiot_dsp_t;

/* Bytes of work memory aiot_dsp_init needs for a window of n samples. */
size_t aiot_dsp_memory(int n);

/*
 * Prepares d for windows of n samples (a power of two, 16..65536) at rate Hz, using memory
 * (aiot_dsp_memory(n) bytes, 8-byte aligned) owned by the caller. Returns 0, or -1 for bad
 * arguments.
 */
int aiot_dsp_init(aiot_dsp_t *d, void *memory, int n, double rate, aiot_window_t window,
                  const aiot_band_t *bands, int nbands);

/* Number of features one channel yields: AIOT_DSP_BASE_FEATURES + nbands. */
int aiot_dsp_features_per_channel(const aiot_dsp_t *d);

/* Computes one channel's features from its first n samples into out. */
void aiot_dsp_channel(aiot_dsp_t *d, const float *samples, double *out);

#ifdef __cplusplus
}
#endif

#endif
