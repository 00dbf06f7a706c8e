package io.aiotedge.core;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one record to a Kafka topic without the sender importing Kafka; implemented by the kafka
 * component's shared producer (idempotent, {@code acks=all}). Thread-safe.
 */
public interface RecordSink {

    /** Completes when the cluster has the record, or exceptionally when it refused or timed out. */
    CompletableFuture<Void> send(String topic, String key, byte[] value);
}
