package io.aiotedge.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.clients.KafkaClients;
import io.aiotedge.wire.Topics;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telemetry from Kafka: one consumer in the group {@code inference.groupId} on
 * {@code aiot.telemetry}, whose record key is the device id, so each device's windows come in
 * order from one partition and inference nodes in the group split the devices between them.
 * Offsets are committed after each polled batch is scored. On a rebalance the devices of
 * partitions taken away are forgotten (their new owner keeps their band from then on). A new
 * group starts at the end of the topic: scoring hours-old windows would raise stale alerts.
 * The device is the record key (the bridge keys by the topic's {@code {deviceId}}); a record
 * without a key, or whose payload names another device, is not scored.
 * Servo commands go to {@code aiot.control} keyed by device (the bridge carries them to
 * {@code aiot/v1/things/{id}/control}); alerts go through the MQTT outlet given.
 */
final class KafkaTelemetry implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(KafkaTelemetry.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Scoring scoring;
    private final Outlet outlet;
    private final Map<Integer, java.util.Set<String>> devicesByPartition = new HashMap<>(); // aiot.telemetry partition
    private final AtomicLong lag = new AtomicLong();
    private final Counter commandFailures;
    private volatile int assigned;
    private volatile boolean running = true;
    private volatile String problem;

    /** @param alerts the outlet alerts go to; commands go to Kafka */
    KafkaTelemetry(Map<String, String> client, String bootstrap, String groupId, Scoring scoring,
            Outlet alerts, Counter commandFailures) {
        this.commandFailures = commandFailures;
        this.consumer = new KafkaConsumer<>(consumerProperties(client, bootstrap, groupId), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerProperties(client, bootstrap), new ByteArraySerializer(),
                new ByteArraySerializer());
        this.scoring = scoring;
        this.outlet = new Outlet() {
            @Override
            public void alert(String deviceId, ObjectNode alert) {
                alerts.alert(deviceId, alert);
            }

            @Override
            public void command(String deviceId, ObjectNode command) {
                sendCommand(deviceId, command);
            }
        };
    }

    private static Properties consumerProperties(Map<String, String> client, String bootstrap, String groupId) {
        return new KafkaClients(client, () -> bootstrap).consumer("aiot-edge-inference", groupId, Map.of(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000"));
    }

    private static Properties producerProperties(Map<String, String> client, String bootstrap) {
        return new KafkaClients(client, () -> bootstrap).producer("aiot-edge-inference-control",
                Map.of(ProducerConfig.LINGER_MS_CONFIG, "0"));
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.TELEMETRY), new Rebalance());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    String device = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() != null && scoring.accept(device, r.value(), outlet)) {
                        devicesByPartition.computeIfAbsent(r.partition(), k -> new java.util.HashSet<>()).add(device);
                    }
                }
                if (!records.isEmpty()) {
                    consumer.commitAsync((offsets, e) -> {
                        if (e != null) {
                            log.debug("Offset commit failed (retried with the next batch): {}", e.getMessage());
                        }
                    });
                }
                updateLag();
                problem = null;
            }
        } catch (WakeupException e) {
            // stop() asked
        } catch (RuntimeException e) {
            problem = e.toString();
            log.error("Inference telemetry consumer stopped", e);
        } finally {
            try {
                consumer.commitSync(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.debug("Final commit: {}", e.getMessage());
            }
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void sendCommand(String deviceId, ObjectNode command) {
        producer.send(new ProducerRecord<>(Topics.CONTROL, deviceId.getBytes(StandardCharsets.UTF_8),
                command.toString().getBytes(StandardCharsets.UTF_8)), (md, e) -> {
                    if (e != null) {
                        commandFailures.increment();
                        log.warn("Servo command for {} not stored in {}: {}", deviceId, Topics.CONTROL, e.getMessage());
                    }
                });
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            total += l.orElse(0);
        }
        lag.set(total);
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }

    long lag() {
        return lag.get();
    }

    /** Partitions this member scores now. */
    int assigned() {
        return assigned;
    }

    /** Null while polling normally. */
    String problem() {
        return problem;
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final java.util.Set<TopicPartition> owned = new java.util.HashSet<>();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                consumer.commitSync(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.debug("Commit on revoke: {}", e.getMessage());
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // fix a new group's start ("latest") now, not at the first fetch: what is produced from
            // here on is scored
            partitions.forEach(consumer::position);
            owned.addAll(partitions);
            assigned = owned.size();
            log.info("Inference scores partitions {}", partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
            assigned = owned.size();
            List<String> gone = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                java.util.Set<String> d = devicesByPartition.remove(tp.partition());
                if (d != null) {
                    gone.addAll(d);
                }
            }
            scoring.forget(gone);
        }
    }
}
