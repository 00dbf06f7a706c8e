/**
 * The embedded MQTT broker (HiveMQ CE): listeners, persistence, limits, authentication through
 * the core {@link io.aiotedge.core.auth.Authenticator}, topic ACLs and broker metrics. The only
 * package that imports {@code com.hivemq.embedded} and the HiveMQ extension SDK.
 */
package io.aiotedge.broker;
