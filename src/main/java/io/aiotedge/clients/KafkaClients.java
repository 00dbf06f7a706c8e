package io.aiotedge.clients;

import io.aiotedge.config.KafkaConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Every Kafka client configuration of the node, assembled in one place: the caller's defaults,
 * then {@code kafka.client} (the security settings of {@code kafka.mode: external}, which may
 * override those defaults), then the caller's settings, then what no one overrides: the bootstrap
 * servers and the client id, for producers {@code acks=all} with idempotence (nothing is lost or
 * duplicated by a retry), for consumers manual commits (each loop commits what it processed).
 * The clients' heap buffers are sized from the heap this JVM may use (an eighth of it for a
 * producer's {@code buffer.memory} and a consumer's {@code fetch.max.bytes}, at most Kafka's
 * defaults of 32 MiB and 50 MiB): on a 96 MiB inference node Kafka's defaults alone could take half
 * the heap during an outage. {@code kafka.client} and the caller's settings still override them.
 */
public final class KafkaClients {
    private final Map<String, String> client;
    private final Supplier<String> bootstrapServers;

    /**
     * @param client {@code kafka.client}
     * @param bootstrapServers read when a configuration is built (an embedded broker's port is
     *     known only once it runs)
     */
    public KafkaClients(Map<String, String> client, Supplier<String> bootstrapServers) {
        this.client = Map.copyOf(client);
        this.bootstrapServers = bootstrapServers;
    }

    /** {@code kafka.client} of {@code config}, at {@code bootstrapServers}. */
    public static KafkaClients of(KafkaConfig config, Supplier<String> bootstrapServers) {
        return new KafkaClients(config.client(), bootstrapServers);
    }

    public Properties producer(String clientId, Map<String, String> settings) {
        return producer(clientId, Map.of(), settings);
    }

    /** @param defaults settings {@code kafka.client} may override */
    public Properties producer(String clientId, Map<String, String> defaults, Map<String, String> settings) {
        Map<String, String> sized = new HashMap<>(Map.of(ProducerConfig.BUFFER_MEMORY_CONFIG,
                String.valueOf(heapShare(Runtime.getRuntime().maxMemory(), 32L << 20))));
        sized.putAll(defaults);
        Properties p = base(sized, settings, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return p;
    }

    public Properties consumer(String clientId, String groupId, Map<String, String> settings) {
        Properties p = base(Map.of(ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                String.valueOf(heapShare(Runtime.getRuntime().maxMemory(), 50L << 20))), settings, clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }

    public Properties admin(String clientId, Map<String, String> settings) {
        return base(Map.of(), settings, clientId);
    }

    /** An eighth of {@code maxHeap}, between 4 MiB and {@code cap}. */
    static long heapShare(long maxHeap, long cap) {
        return Math.max(4L << 20, Math.min(cap, maxHeap / 8));
    }

    private Properties base(Map<String, String> defaults, Map<String, String> settings, String clientId) {
        Properties p = new Properties();
        p.putAll(defaults);
        p.putAll(client);
        p.putAll(settings);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.get());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }
}
