package io.aiotedge.core.mqtt;

import java.util.concurrent.CompletableFuture;

/** Control over live MQTT connections, implemented by the broker. Thread-safe. */
public interface ClientSessions {

    /**
     * Drops every live connection authenticated as {@code principalName} (e.g. a revoked device)
     * with reason "not authorized".
     *
     * @return how many connections were dropped
     */
    CompletableFuture<Integer> disconnectPrincipal(String principalName);
}
