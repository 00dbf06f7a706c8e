package io.aiotedge.bridge;

import io.aiotedge.clients.KafkaClients;
import io.aiotedge.config.BridgeConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The bridge producer's properties: no loss, ordered, and quick to notice an outage. */
final class ProducerSettings {
    private ProducerSettings() {
    }

    static Properties of(BridgeConfig bridge, Map<String, String> kafkaClient, String bootstrapServers) {
        Map<String, String> defaults = Map.of(ProducerConfig.LINGER_MS_CONFIG, "2",
                ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
        Map<String, String> settings = new LinkedHashMap<>(bridge.producer());
        // these make the bridge's promise and are not overridable (nor are acks=all and idempotence)
        settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        int timeout = bridge.kafkaTimeoutMs();
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeout));
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(500, timeout / 2 - 100)));
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Math.min(2000, timeout / 2)));
        settings.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        return new KafkaClients(kafkaClient, () -> bootstrapServers).producer("aiot-edge-bridge", defaults, settings);
    }
}
