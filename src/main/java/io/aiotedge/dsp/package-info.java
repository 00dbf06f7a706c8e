/**
 * Feature extraction: one window of samples per channel in, the feature vector out (time-domain
 * statistics, the FFT's major peak and band powers; docs/features.md), named by the
 * {@link io.aiotedge.dsp.FeatureSchema} that the datastore's rows and the models' input schema use.
 * A shared library with no lifecycle, used by the gateway (and the load tools); the only package
 * importing JTransforms besides the bench's bare-FFT baseline.
 */
package io.aiotedge.dsp;
