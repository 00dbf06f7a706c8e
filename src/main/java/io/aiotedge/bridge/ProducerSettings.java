package io.aiotedge.bridge;

import io.aiotedge.config.BridgeConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The bridge producer's properties: no loss, ordered, and quick to notice an outage. */
final class ProducerSettings {
    private ProducerSettings() {
    }

    static Properties of(BridgeConfig bridge, Map<String, String> kafkaClient, String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
        p.putAll(kafkaClient);
        p.putAll(bridge.producer());
        // these make the bridge's promise and are not overridable
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "aiot-edge-bridge");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        int timeout = bridge.kafkaTimeoutMs();
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeout));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(500, timeout / 2 - 100)));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Math.min(2000, timeout / 2)));
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        return p;
    }
}
