/**
 * The vocabulary packages and hosts exchange, shared by every component: raw frames and telemetry
 * with their codecs (docs/frames.md), the model-signature statements and the canonical JSON they
 * sign, the MQTT topic builders and Kafka topic names, and the node's one JSON mapper. Formats
 * only: no lifecycle, no I/O.
 */
package io.aiotedge.wire;
