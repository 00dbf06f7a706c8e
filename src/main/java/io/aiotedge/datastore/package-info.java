/**
 * The training datastore: feature rows in the platform database, fed from Kafka by an idempotent
 * batched ingest (bad records to {@code aiot.deadletter}), or from CSV uploads; queried and
 * exported by time range, device and label; trimmed by a retention policy.
 */
package io.aiotedge.datastore;
