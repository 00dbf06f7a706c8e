package io.aiotedge.bench;

import org.jtransforms.fft.DoubleFFT_1D;

/** The DSP benchmark's baseline: each channel copied to a double buffer and FFT'd, nothing else. */
final class BareFft {
    private final DoubleFFT_1D fft;
    private final double[] buf;

    BareFft(int n) {
        this.fft = new DoubleFFT_1D(n);
        this.buf = new double[n];
    }

    void run(float[][] channels) {
        for (float[] x : channels) {
            for (int i = 0; i < buf.length; i++) {
                buf[i] = x[i];
            }
            fft.realForward(buf);
        }
    }
}
