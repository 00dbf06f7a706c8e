/**
 * Load tools of ours, run by {@code aiot-edge bench ...} and the scripts in {@code scripts/}:
 * they talk to any broker (ours or Mosquitto) with the HiveMQ MQTT client and report rates,
 * latency percentiles and loss.
 */
package io.aiotedge.bench;
