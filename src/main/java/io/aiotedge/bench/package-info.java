/**
 * Our load tools, run by {@code aiot-edge bench ...} and the scripts in {@code scripts/}: the
 * broker against any other (ours or Mosquitto) with the HiveMQ MQTT client, the bridge against
 * the bare Kafka producer, the DSP against the bare FFT, the gateway, platform ingest and OTA,
 * inference backends and telemetry-to-score latency; each against a baseline in the same run,
 * printing Markdown tables (docs/benchmarks.md). A root: it builds real components, so it may
 * import them, and it imports the libraries its baselines measure directly.
 */
package io.aiotedge.bench;
