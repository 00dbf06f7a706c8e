/**
 * The lossless MQTT<->Kafka bridge. So far: the {@link io.aiotedge.bridge.Spool}, the on-disk
 * store-and-forward queue that holds records while Kafka is away. The only package (with
 * {@code kafka}) that imports {@code org.apache.kafka}, and the only one importing RocksDB.
 */
package io.aiotedge.bridge;
