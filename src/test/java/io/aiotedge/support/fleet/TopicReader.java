package io.aiotedge.support.fleet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic from its beginning by assignment (no consumer group), incrementally: each
 * {@link #readToEnd} returns what was appended since the last call, up to the end offsets of that
 * moment.
 */
public final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> parts;

    /** A record with the headers tests look at. */
    public record Rec(String key, byte[] value, String messageId, long receivedAt, long timestamp, int partition,
            long offset) {
        /** The device id and sequence of a binary raw frame ("device#seq"). */
        public String frameKey() {
            ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
            int len = value[7] & 0xff;
            String id = new String(value, 8, len, StandardCharsets.UTF_8);
            return id + "#" + b.getLong(8 + len);
        }

        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    public TopicReader(Properties client, String topic) {
        Properties p = new Properties();
        p.putAll(client);
        p.put("max.poll.records", "5000");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    public List<Rec> readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(30));
        List<Rec> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read to " + end);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                out.add(new Rec(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), r.value(),
                        header(r, "aiot.messageId"), number(header(r, "mqtt.receivedAt")), r.timestamp(),
                        r.partition(), r.offset()));
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long number(String s) {
        return s == null ? -1 : Long.parseLong(s);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
