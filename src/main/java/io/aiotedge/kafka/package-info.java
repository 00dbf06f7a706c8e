/**
 * Kafka for the node: an in-process single-node KRaft broker (formatted on first start under the
 * data dir, with an optional SASL_SSL listener for other boards) or an external cluster; the aiot
 * topics provisioned at startup; and the shared producer behind {@link io.aiotedge.core.RecordSink}.
 * The only package that imports the Kafka broker's {@code kafka.*} classes.
 */
package io.aiotedge.kafka;
