package io.aiotedge.support.fleet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group seen through Admin: which member (by client host, i.e. node address) holds
 * which partitions, the committed offsets and the topic's log-end offsets.
 */
public final class GroupView implements AutoCloseable {
    private final Admin admin;
    private final String group;
    private final String topic;

    /** One observation. {@code owners}: address -> partitions it holds. */
    public record State(Map<String, List<Integer>> owners, Map<Integer, Long> committed, Map<Integer, Long> end) {
        public int members() {
            return owners.size();
        }

        /** Every partition's committed offset equals its log-end offset. */
        public boolean caughtUp() {
            return !end.isEmpty() && end.entrySet().stream()
                    .allMatch(e -> e.getValue() == 0 || e.getValue().equals(committed.get(e.getKey())));
        }

        public long committedTotal() {
            return committed.values().stream().mapToLong(Long::longValue).sum();
        }

        public long endTotal() {
            return end.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Partitions held by the member at {@code address} (empty when it is not a member). */
        public List<Integer> of(String address) {
            return owners.getOrDefault(address, List.of());
        }
    }

    public GroupView(Properties adminClient, String group, String topic) {
        this.admin = Admin.create(adminClient);
        this.group = group;
        this.topic = topic;
    }

    public State state() throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS)
                .get(group);
        Map<String, List<Integer>> owners = new TreeMap<>();
        for (MemberDescription m : d.members()) {
            owners.put(m.host().replace("/", ""), m.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition).sorted().toList());
        }
        Map<TopicPartition, OffsetAndMetadata> offs = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<Integer, Long> committed = new TreeMap<>();
        offs.forEach((tp, o) -> {
            if (tp.topic().equals(topic) && o != null) {
                committed.put(tp.partition(), o.offset());
            }
        });
        return new State(owners, committed, end());
    }

    /** The topic's log-end offset per partition. */
    public Map<Integer, Long> end() throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                .partitions().size();
        Map<TopicPartition, OffsetSpec> req = new HashMap<>();
        for (int i = 0; i < partitions; i++) {
            req.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        Map<Integer, Long> end = new TreeMap<>();
        admin.listOffsets(req).all().get(10, TimeUnit.SECONDS).forEach((tp, r) -> end.put(tp.partition(), r.offset()));
        return end;
    }

    /** Every partition of every topic with its in-sync replica count. */
    public Map<String, Integer> minIsr(List<String> topics) throws Exception {
        Map<String, Integer> out = new TreeMap<>();
        admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((t, d) -> out.put(t,
                d.partitions().stream().mapToInt(p -> p.isr().size()).min().orElse(0)));
        return out;
    }

    @Override
    public void close() {
        admin.close();
    }
}
