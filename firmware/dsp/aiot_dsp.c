#include "aiot_dsp.h"

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

size_t aiot_dsp_memory(int n) {
    return sizeof(double) * ((size_t)n * 3 + (size_t)n / 2 + 1);
}

static int is_power_of_two(int n) {
    return n > 0 && (n & (n - 1)) == 0;
}

int aiot_dsp_init(aiot_dsp_t *d, void *memory, int n, double rate, aiot_window_t window,
                  const aiot_band_t *bands, int nbands) {
    if (!d || !memory || !is_power_of_two(n) || n < 16 || n > 65536 || !(rate > 0) || nbands < 0 ||
        nbands > AIOT_DSP_MAX_BANDS || (nbands > 0 && !bands)) {
        return -1;
    }
    double *m = (double *)memory;
    d->n = n;
    d->rate = rate;
    d->nbands = nbands;
    d->window = m;
    d->re = m + n;
    d->im = m + 2 * n;
    d->power = m + 3 * n;
    d->window_sum = 0;
    for (int i = 0; i < n; i++) {
        double c = cos(2 * M_PI * i / (n - 1)); /* symmetric definitions */
        double w = window == AIOT_WIN_HAMMING ? 0.54 - 0.46 * c : window == AIOT_WIN_HANN ? 0.5 - 0.5 * c : 1.0;
        d->window[i] = w;
        d->window_sum += w;
    }
    for (int b = 0; b < nbands; b++) {
        int hi = (int)ceil(bands[b].high_hz * (double)n / rate);
        d->band_bins[b][0] = (int)ceil(bands[b].low_hz * (double)n / rate);
        d->band_bins[b][1] = hi < n / 2 + 1 ? hi : n / 2 + 1;
    }
    return 0;
}

int aiot_dsp_features_per_channel(const aiot_dsp_t *d) {
    return AIOT_DSP_BASE_FEATURES + d->nbands;
}

/* In-place iterative radix-2 complex FFT (forward, unscaled). */
static void fft(double *re, double *im, int n) {
    for (int i = 1, j = 0; i < n; i++) {
        int bit = n >> 1;
        for (; j & bit; bit >>= 1) {
            j ^= bit;
        }
        j ^= bit;
        if (i < j) {
            double t = re[i]; re[i] = re[j]; re[j] = t;
            t = im[i]; im[i] = im[j]; im[j] = t;
        }
    }
    for (int len = 2; len <= n; len <<= 1) {
        double ang = -2 * M_PI / len;
        for (int k = 0; k < len / 2; k++) {
            double wr = cos(ang * k);
            double wi = sin(ang * k);
            for (int i = k; i < n; i += len) {
                int j = i + len / 2;
                double xr = re[j] * wr - im[j] * wi;
                double xi = re[j] * wi + im[j] * wr;
                re[j] = re[i] - xr;
                im[j] = im[i] - xi;
                re[i] += xr;
                im[i] += xi;
            }
        }
    }
}

void aiot_dsp_channel(aiot_dsp_t *d, const float *x, double *out) {
    int n = d->n;
    double sum = 0;
    for (int i = 0; i < n; i++) {
        sum += x[i];
    }
    double mean = sum / n;
    double m2 = 0, m4 = 0;
    float max_abs = 0;
    for (int i = 0; i < n; i++) {
        float a = fabsf(x[i]);
        if (a > max_abs) {
            max_abs = a;
        }
        double v = x[i] - mean;
        double v2 = v * v;
        m2 += v2;
        m4 += v2 * v2;
        d->re[i] = v * d->window[i];
        d->im[i] = 0;
    }
    m2 /= n;
    m4 /= n;
    double rms = sqrt(m2 + mean * mean);
    out[0] = mean;
    out[1] = rms;
    out[2] = rms > 0 ? max_abs / rms : 0;
    out[3] = m2 > 0 ? m4 / (m2 * m2) : 0;

    fft(d->re, d->im, n);
    double scale = 1.0 / ((double)n * n);
    d->power[0] = d->re[0] * d->re[0] * scale;
    d->power[n / 2] = d->re[n / 2] * d->re[n / 2] * scale;
    int best = 1;
    double best_power = -1;
    for (int k = 1; k < n / 2; k++) {
        double p = 2 * (d->re[k] * d->re[k] + d->im[k] * d->im[k]) * scale;
        d->power[k] = p;
        if (p > best_power) {
            best_power = p;
            best = k;
        }
    }
    /* major peak: parabolic interpolation of log magnitudes */
    double mag = sqrt(d->power[best] / 2) * n;
    double delta = 0, peak_mag = mag;
    if (best > 1 && best < n / 2 - 1 && d->power[best] > 0) {
        double a = log(fmax(d->power[best - 1], 2.2250738585072014e-308)) / 2;
        double b = log(d->power[best]) / 2;
        double c = log(fmax(d->power[best + 1], 2.2250738585072014e-308)) / 2;
        double denom = a - 2 * b + c;
        if (denom < 0) {
            delta = 0.5 * (a - c) / denom;
            delta = delta < -0.5 ? -0.5 : delta > 0.5 ? 0.5 : delta;
            peak_mag = mag * exp(-0.25 * (a - c) * delta);
        }
    }
    out[4] = (best + delta) * d->rate / n;
    out[5] = d->power[best] > 0 ? 2 * peak_mag / d->window_sum : 0;
    for (int b = 0; b < d->nbands; b++) {
        double e = 0;
        for (int k = d->band_bins[b][0]; k < d->band_bins[b][1]; k++) {
            e += d->power[k];
        }
        out[AIOT_DSP_BASE_FEATURES + b] = e;
    }
}
