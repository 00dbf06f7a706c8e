package io.aiotedge.broker;

import com.hivemq.migration.meta.PersistenceType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the on-disk form of the HiveMQ stores that have two (retained messages, publish payloads)
 * from what the data dir already holds. HiveMQ's own migrations never run in our fat JAR (its
 * manifest has no {@code HiveMQ-Version}, so HiveMQ skips them as a development snapshot): a store
 * opened in the other form would start empty and orphan what it held. So a store found in the
 * RocksDB form stays RocksDB, and one found in the Xodus form stays Xodus; only a store not on
 * disk yet gets the form we want. Stateless.
 */
final class StoreLayout {
    private static final Logger log = LoggerFactory.getLogger(StoreLayout.class);
    /** HiveMQ's directory of a store's current version in the Xodus form ({@code FILE}). */
    static final String XODUS_DIR = "040500";
    /** The same store in the RocksDB form ({@code FILE_NATIVE}). */
    static final String ROCKSDB_DIR = XODUS_DIR + "_R";

    private StoreLayout() {
    }

    /**
     * @param persistence HiveMQ's {@code <data>/persistence} directory
     * @param store the store's directory name, e.g. {@code retained_messages}
     * @param wanted the form a new store gets
     */
    static PersistenceType choose(Path persistence, String store, PersistenceType wanted) {
        Path dir = persistence.resolve(store);
        boolean rocks = Files.isDirectory(dir.resolve(ROCKSDB_DIR));
        boolean xodus = Files.isDirectory(dir.resolve(XODUS_DIR));
        if (rocks == xodus) {
            if (rocks) {
                log.warn("HiveMQ store {} holds both forms ({} and {}); using the {} one, the other is unused and may"
                        + " be deleted while the node is stopped", dir, XODUS_DIR, ROCKSDB_DIR, wanted);
            }
            return wanted;
        }
        PersistenceType found = rocks ? PersistenceType.FILE_NATIVE : PersistenceType.FILE;
        if (found != wanted) {
            log.warn("HiveMQ store {} was written by an older release in the {} form and stays in it (HiveMQ cannot"
                    + " convert it). To get the {} form{}: stop the node, delete {}, start it; what the store"
                    + " held (retained messages, or messages queued for offline sessions) is then gone until"
                    + " re-published", dir, found, wanted,
                    rocks ? " (no WAL files preallocated from the host's RAM)"
                            : "",
                    dir.resolve(rocks ? ROCKSDB_DIR : XODUS_DIR));
        }
        return found;
    }
}
