// Acquisition of the four sensor channels (dsp.channels order: current, temperature, vibration,
// sound) at the reference firmware's rate, one window at a time.
#pragma once

constexpr int kChannels = 4;
constexpr int kWindow = 256;         // dsp.windowSize
constexpr double kSampleRate = 13095; // dsp.sampleRate, per channel

// Fills one window of every channel, paced by the CPU cycle counter; returns the rate achieved
// (Hz per channel), which the caller reports when it falls short.
double sampleWindow(float samples[kChannels][kWindow]);
