package io.aiotedge.kafka;

import io.aiotedge.clients.KafkaClients;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.RecordSink;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One idempotent {@code acks=all} producer shared by the node's occasional senders (model
 * announcements); the bridge keeps its own, tuned for throughput. Gives up on a record after 30 s.
 */
public final class KafkaSink extends AbstractComponent implements RecordSink {
    private final Map<String, String> client;
    private final Supplier<String> bootstrapServers;
    private volatile KafkaProducer<String, byte[]> producer;

    public KafkaSink(Map<String, String> client, Supplier<String> bootstrapServers) {
        super("kafka-sink");
        this.client = Map.copyOf(client);
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    protected void doStart() {
        Properties p = new KafkaClients(client, bootstrapServers).producer("aiot-edge-sink", Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000"));
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    protected void doStop() {
        KafkaProducer<String, byte[]> p = producer;
        producer = null;
        if (p != null) {
            p.close(Duration.ofSeconds(10));
        }
    }

    @Override
    public CompletableFuture<Void> send(String topic, String key, byte[] value) {
        KafkaProducer<String, byte[]> p = producer;
        if (p == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the Kafka sink is not running"));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            p.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }
}
