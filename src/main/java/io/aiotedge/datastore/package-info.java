/**
 * The training datastore: feature rows in the platform database, fed from Kafka by an idempotent
 * batched ingest that keeps its positions with the rows (bad records to {@code aiot.deadletter}),
 * or from CSV uploads; queried and exported by time range, device and label; trimmed by a
 * retention policy. Its ingest is a Kafka consumer group, so it imports the Kafka clients.
 */
package io.aiotedge.datastore;
