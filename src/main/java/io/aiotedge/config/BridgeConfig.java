package io.aiotedge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The MQTT <-> Kafka bridge ({@code bridge.*}); runs on platform nodes whose Kafka is not off.
 *
 * @param enabled whether the bridge runs at all
 * @param spoolMaxBytes the store-and-forward spool's bound on disk
 * @param spoolOverflow what a full spool does: refuse new publishes, or drop its oldest records
 * @param kafkaTimeoutMs how long a record may wait for Kafka's ack before it goes to the spool instead
 * @param replayBatch records sent per round when the spool is replayed
 * @param downlinkGroupId the Kafka consumer group of the downlink (one per node that has its own devices)
 * @param downlinkStartFrom where a new consumer group starts: {@code latest} (no old commands) or {@code earliest}
 * @param producer extra kafka-clients producer properties (e.g. {@code linger.ms}, {@code compression.type})
 * @param uplink MQTT -> Kafka routes; the first whose filter matches a topic is used
 * @param downlink Kafka -> MQTT routes
 */
public record BridgeConfig(boolean enabled, long spoolMaxBytes, Overflow spoolOverflow, int kafkaTimeoutMs,
        int replayBatch, String downlinkGroupId, StartFrom downlinkStartFrom,
        Map<String, String> producer, List<UplinkMapping> uplink, List<DownlinkMapping> downlink) {

    public enum Overflow { REJECT, DROP_OLDEST }

    public enum StartFrom { LATEST, EARLIEST }

    public BridgeConfig {
        producer = Map.copyOf(producer);
        uplink = List.copyOf(uplink);
        downlink = List.copyOf(downlink);
    }

    /** Every Kafka topic the bridge writes or reads, in config order, without repeats. */
    public List<String> kafkaTopics() {
        List<String> out = new ArrayList<>();
        uplink.forEach(m -> addOnce(out, m.kafka()));
        downlink.forEach(m -> addOnce(out, m.kafka()));
        return out;
    }

    private static void addOnce(List<String> out, String topic) {
        if (!out.contains(topic)) {
            out.add(topic);
        }
    }

    static BridgeConfig read(ConfigReader r) {
        List<UplinkMapping> up = new ArrayList<>();
        r.objects("bridge.uplink").forEach(o -> up.add(UplinkMapping.read(o)));
        List<DownlinkMapping> down = new ArrayList<>();
        r.objects("bridge.downlink").forEach(o -> down.add(DownlinkMapping.read(o)));
        return new BridgeConfig(r.bool("bridge.enabled"),
                r.longValue("bridge.spool.maxBytes", 1 << 20, Long.MAX_VALUE),
                r.enumValue("bridge.spool.overflow", Overflow.class),
                r.integer("bridge.kafkaTimeoutMs", 1000, 600_000),
                r.integer("bridge.replayBatch", 1, 100_000),
                r.nonBlank("bridge.downlinkGroupId"),
                r.enumValue("bridge.downlinkStartFrom", StartFrom.class),
                r.flatMap("bridge.producer"), up, down);
    }
}
