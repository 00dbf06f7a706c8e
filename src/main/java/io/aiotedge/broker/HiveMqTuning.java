package io.aiotedge.broker;

import com.hivemq.configuration.service.InternalConfigurations;

/**
 * HiveMQ settings that exist only as JVM-wide statics ({@link InternalConfigurations}); this is
 * the one place that writes them, right before the one broker of the JVM starts. The values and
 * the measurements behind them are in docs/benchmarks.md ("Broker defaults").
 */
final class HiveMqTuning {
    private HiveMqTuning() {
    }

    static void apply() {
        // HiveMQ's builder turns this off for embedded use; our authenticator decides every connect.
        InternalConfigurations.AUTH_DENY_UNAUTHENTICATED_CONNECTIONS.set(true);
        InternalConfigurations.JMX_REPORTER_ENABLED.set(false);
    }
}
