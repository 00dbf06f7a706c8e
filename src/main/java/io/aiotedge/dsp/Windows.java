package io.aiotedge.dsp;

import io.aiotedge.config.DspConfig;

/** Window coefficients, symmetric (the definitions numpy and arduinoFFT use: cos over N-1). */
public final class Windows {
    private Windows() {
    }

    public static double[] coefficients(DspConfig.Window window, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double c = n == 1 ? 1 : Math.cos(2 * Math.PI * i / (n - 1));
            w[i] = switch (window) {
                case HAMMING -> 0.54 - 0.46 * c;
                case HANN -> 0.5 - 0.5 * c;
                case RECTANGULAR -> 1.0;
            };
        }
        return w;
    }
}
