package io.aiotedge.datastore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the ingest reads from: the positions stored in the datastore with the rows (the truth),
 * else the group's committed Kafka offset, else the reset policy (earliest). Seeks at every
 * partition assignment and on a rewind after a failed batch. Used on the consumer thread only.
 */
final class IngestPositions implements ConsumerRebalanceListener {
    private static final Logger log = LoggerFactory.getLogger(IngestPositions.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final FeatureStore store;
    private final String groupId;
    private final Runnable beforeSeek;

    /** @param beforeSeek waits for a batch still being stored, so its positions are read back */
    IngestPositions(KafkaConsumer<byte[], byte[]> consumer, FeatureStore store, String groupId, Runnable beforeSeek) {
        this.consumer = consumer;
        this.store = store;
        this.groupId = groupId;
        this.beforeSeek = beforeSeek;
    }

    /** The next offset of every partition in a poll, for that poll's transaction. */
    IngestOffsets.Consumed consumed(ConsumerRecords<byte[], byte[]> records) {
        List<IngestOffsets.Position> out = new ArrayList<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
            out.add(new IngestOffsets.Position(tp.topic(), tp.partition(), rs.get(rs.size() - 1).offset() + 1));
        }
        return new IngestOffsets.Consumed(groupId, out);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        beforeSeek.run();
        int seeked = seekStored(partitions).size();
        log.info("Ingest assigned {} partitions; {} resume from the datastore's stored offsets, the rest from the "
                + "group's committed offsets or the start", partitions.size(), seeked);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // nothing to hand over: the positions are stored with the rows
    }

    /** After a failed batch: back to the stored position (else committed, else the start) of every partition. */
    void rewind() {
        Set<TopicPartition> assigned = consumer.assignment();
        List<TopicPartition> rest = new ArrayList<>(assigned);
        rest.removeAll(seekStored(assigned));
        if (rest.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(rest));
        for (TopicPartition tp : rest) {
            OffsetAndMetadata o = committed.get(tp);
            if (o != null) {
                consumer.seek(tp, o.offset());
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
    }

    /** Seeks the partitions that have a stored position; returns those. */
    private List<TopicPartition> seekStored(Collection<TopicPartition> partitions) {
        Map<String, Long> stored = store.storedOffsets(groupId);
        List<TopicPartition> done = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long next = stored.get(IngestOffsets.key(tp.topic(), tp.partition()));
            if (next != null) {
                consumer.seek(tp, next);
                done.add(tp);
            }
        }
        return done;
    }
}
