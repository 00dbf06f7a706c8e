package io.aiotedge.alerts;

import io.aiotedge.core.LiveFeed;
import io.aiotedge.core.PollingLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The alerts consumer thread (see {@link AlertIngest}). Owns its consumer. */
final class AlertLoop extends PollingLoop {
    private static final Logger log = LoggerFactory.getLogger(AlertLoop.class);
    private static final Set<String> TRUSTED = Set.of("service", "admin");

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final AlertStore store;
    private final LiveFeed live;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Counter stored;
    private final Counter commands;
    /** Failed attempts of one batch before its records are stored one by one (a poison record). */
    static final int ISOLATE_AFTER = 3;

    AlertLoop(KafkaConsumer<byte[], byte[]> consumer, List<String> topics, AlertStore store, LiveFeed live,
            Clock clock, MeterRegistry meters, Counter stored, Counter commands) {
        super(consumer::wakeup);
        this.consumer = consumer;
        this.topics = topics;
        this.store = store;
        this.live = live;
        this.clock = clock;
        this.meters = meters;
        this.stored = stored;
        this.commands = commands;
    }

    @Override
    public void run() {
        int failures = 0;
        try {
            consumer.subscribe(topics);
            while (running()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    storeBatch(records);
                    consumer.commitSync(next(records));
                    failures = 0;
                    recovered();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    failures++;
                    if (failures >= ISOLATE_AFTER && store.reachable()) {
                        // the database answers, yet the batch keeps failing: one record it refuses;
                        // store the rest one by one, drop and count that one, and move on
                        storeOneByOne(records);
                        consumer.commitSync(next(records));
                        failures = 0;
                        recovered();
                        continue;
                    }
                    failing("storing alerts failed, retrying: " + e.getMessage());
                    log.warn("Alerts batch failed, rewinding: {}", e.getMessage());
                    rewind(records);
                    backOff();
                }
            }
        } catch (WakeupException e) {
            log.debug("Alerts consumer woken up to stop");
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void storeOneByOne(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                storeBatch(List.of(r));
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                drop("db", r, e.getMessage());
                log.warn("Dropped alert record {}/{}@{}: the database refuses it ({})", r.topic(), r.partition(),
                        r.offset(), e.getMessage());
            }
        }
    }

    private void storeBatch(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        List<Incoming.NewAlert> alerts = new ArrayList<>();
        List<Incoming.NewCommand> cmds = new ArrayList<>();
        long now = clock.millis();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            boolean isAlert = r.topic().equals(io.aiotedge.wire.Topics.ALERTS);
            String role = header(r, "aiot.principalRole");
            // alerts come through the bridge, stamped; commands only from Kafka clients its ACLs allow
            if (role == null ? isAlert : !TRUSTED.contains(role)) {
                drop("forged", r, "sent by " + header(r, "aiot.principal") + " (role " + role + ")");
                continue;
            }
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            try {
                if (isAlert) {
                    alerts.add(Incoming.alert(dedupeKey(r), key, r.value(), now));
                } else {
                    cmds.add(Incoming.command(dedupeKey(r), key, r.value(), now));
                }
            } catch (Incoming.Refused e) {
                drop(e.reason, r, e.getMessage());
            }
        }
        AlertStore.Stored s = store.store(alerts, cmds);
        stored.increment(s.alerts().size());
        commands.increment(s.commands());
        for (Alert a : s.alerts()) {
            live.alert(a.deviceId(), a);
        }
    }

    private void drop(String reason, ConsumerRecord<byte[], byte[]> r, String why) {
        meters.counter("aiot_alerts_dropped_total", "reason", reason).increment();
        log.debug("Dropped {}/{}@{} ({}): {}", r.topic(), r.partition(), r.offset(), reason, why);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String dedupeKey(ConsumerRecord<byte[], byte[]> r) {
        String id = header(r, "aiot.messageId");
        if (id != null && !id.isEmpty() && id.length() <= 150) {
            return "m:" + id;
        }
        return "k:" + r.topic() + "/" + r.partition() + "@" + r.offset();
    }

    private static Map<TopicPartition, OffsetAndMetadata> next(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
            out.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return out;
    }

    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        try {
            for (TopicPartition tp : records.partitions()) {
                consumer.seek(tp, records.records(tp).get(0).offset());
            }
        } catch (RuntimeException e) {
            log.warn("Cannot rewind the alerts consumer: {}", e.getMessage());
        }
    }
}
