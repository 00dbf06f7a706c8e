/**
 * Kafka for the node: an in-process single-node KRaft broker (formatted on first start under the
 * data dir) or an external cluster, and the aiot topics provisioned at startup. With the bridge,
 * the only package that imports {@code org.apache.kafka} and the broker's {@code kafka.*} classes.
 */
package io.aiotedge.kafka;
