package io.aiotedge.broker;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.migration.meta.PersistenceType;
import io.aiotedge.core.SuppressForbidden;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * HiveMQ settings that exist only as JVM-wide statics ({@link InternalConfigurations}); this is
 * the one place that writes them, right before the one broker of the JVM starts. Measurements
 * behind the values: docs/benchmarks.md ("Why the broker defaults are what they are").
 */
final class HiveMqTuning {
    /**
     * HiveMQ keeps 64 session and 64 payload stores (one RocksDB/Xodus each); on a 2-4 core board
     * 4 give the same throughput (measured 2.3-2.5k QoS1 msg/s with 4, 8 or 64) with a fraction of
     * the files and memory. Fixed forever: existing data dirs are laid out by this count.
     */
    static final int BUCKETS = 4;
    /**
     * HiveMQ sizes the payload store's RocksDB memtables and block cache as a share of the host's
     * physical RAM, not of the heap: on a 24 GB host that preallocated ~200 MB WAL files per bucket
     * (1.1 GB data dir after 10 s) and grew native memory by hundreds of MB. These caps hold them.
     */
    static final long PAYLOAD_MEMTABLE_BYTES = 16L << 20;
    static final long PAYLOAD_BLOCK_CACHE_BYTES = 16L << 20;

    /**
     * Retained messages in Xodus, not in HiveMQ's default RocksDB: HiveMQ sizes the four retained
     * RocksDB instances from the host's physical RAM with a compile-time constant (write buffer =
     * RAM/32/buckets), and RocksDB fallocates each WAL at 1.1x that on the first write: 845 MB of a
     * 905 MB data dir after a 5 minute demo on a 24 GB host, for a handful of retained messages
     * (issue 14). Xodus writes what it holds; we keep few retained messages, where it is fast.
     */
    static final PersistenceType RETAINED_STORE = PersistenceType.FILE;
    /** Stays RocksDB (with the caps below): it is on the QoS 1 fan-out path (docs/benchmarks.md). */
    static final PersistenceType PAYLOAD_STORE = PersistenceType.FILE_NATIVE;
    /**
     * Xodus' on-heap log cache, shared by all its stores, as a share of the max heap. HiveMQ sets
     * 25% only while no store is Xodus-by-choice; otherwise Xodus' default is 50%. It is a JVM-wide
     * system property read by every {@code new EnvironmentConfig()}; one the user set is kept.
     */
    static final String XODUS_CACHE_PERCENT_OF_HEAP = "10";
    static final String XODUS_MEMORY = "exodus.memoryUsage";
    static final String XODUS_MEMORY_PERCENT = "exodus.memoryUsagePercentage";

    private HiveMqTuning() {
    }

    /** @param data HiveMQ's data folder ({@code <dataDir>/broker/data}) */
    static void apply(Path data) {
        // HiveMQ's builder turns this off for embedded use; our authenticator decides every connect.
        InternalConfigurations.AUTH_DENY_UNAUTHENTICATED_CONNECTIONS.set(true);
        InternalConfigurations.JMX_REPORTER_ENABLED.set(false);
        InternalConfigurations.PERSISTENCE_BUCKET_COUNT.set(BUCKETS);
        InternalConfigurations.PAYLOAD_PERSISTENCE_BUCKET_COUNT.set(BUCKETS);
        long physical = physicalMemoryBytes();
        InternalConfigurations.PAYLOAD_PERSISTENCE_MEMTABLE_SIZE_PORTION.set(portion(physical, PAYLOAD_MEMTABLE_BYTES));
        InternalConfigurations.PAYLOAD_PERSISTENCE_BLOCK_CACHE_SIZE_PORTION
                .set(portion(physical, PAYLOAD_BLOCK_CACHE_BYTES));
        Path persistence = data.resolve("persistence");
        InternalConfigurations.RETAINED_MESSAGE_PERSISTENCE_TYPE
                .set(StoreLayout.choose(persistence, "retained_messages", RETAINED_STORE));
        InternalConfigurations.PAYLOAD_PERSISTENCE_TYPE
                .set(StoreLayout.choose(persistence, "publish_payload_store", PAYLOAD_STORE));
        if (System.getProperty(XODUS_MEMORY) == null && System.getProperty(XODUS_MEMORY_PERCENT) == null) {
            System.setProperty(XODUS_MEMORY_PERCENT, XODUS_CACHE_PERCENT_OF_HEAP);
        }
    }

    /** HiveMQ takes "physical RAM / portion"; the portion that yields {@code target} bytes. */
    static int portion(long physicalBytes, long target) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, physicalBytes / target));
    }

    @SuppressForbidden("com.sun.management (module jdk.management) is the JDK's only API for the physical memory")
    private static long physicalMemoryBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
