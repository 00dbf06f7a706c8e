package io.aiotedge.core.mqtt;

import java.util.concurrent.CompletionStage;

/**
 * Receives client publishes inside the broker before they are acknowledged, e.g. the bridge
 * that stores them in Kafka. The broker acknowledges a publish only when the returned stage
 * completes, so an implementation decides when a message counts as safe. Called from broker
 * threads: {@link #accept} must not block; {@link #wants} must be cheap.
 */
public interface MqttIngress {

    /** Whether publishes to {@code topic} go through {@link #accept}; others pass untouched. */
    boolean wants(String topic);

    /** Takes a publish; the broker acts on the verdict (see {@link IngressVerdict.Outcome}). */
    CompletionStage<IngressVerdict> accept(InboundPublish publish);

    /** The longest the broker waits for {@link #accept} before refusing the publish as failed. */
    long timeoutMillis();
}
