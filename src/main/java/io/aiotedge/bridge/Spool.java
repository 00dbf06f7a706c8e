package io.aiotedge.bridge;

import io.aiotedge.config.BridgeConfig.Overflow;
import io.aiotedge.core.EdgeException;
import io.aiotedge.core.PrivateFiles;
import io.aiotedge.core.RetriableException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * The bridge's store-and-forward queue: a durable FIFO of {@link SpoolRecord}s on RocksDB (the
 * engine HiveMQ already ships, chosen over a home-made log for its checksummed, crash-safe WAL).
 *
 * <ul>
 *   <li><b>Durable before acknowledged.</b> {@link #append} returns only after its write is in
 *   the fsync'ed WAL, so it survives kill -9 and power loss. The fsync happens outside the lock:
 *   concurrent appends share one fsync (RocksDB group commit).</li>
 *   <li><b>In order.</b> Entries are keyed by an increasing sequence number, and readers see only
 *   the contiguous prefix that is durable, so replay never overtakes an append still in flight
 *   (per-key order is kept because global order is).</li>
 *   <li><b>Bounded.</b> At {@code maxBytes}, {@link Overflow#REJECT} refuses the append (the
 *   device is told to retry) and {@link Overflow#DROP_OLDEST} discards the oldest entries,
 *   counting them exactly.</li>
 *   <li>Removal after Kafka's ack ({@link #removeThrough}) is not synced: if it is lost in a
 *   crash the records are sent again, as duplicates with the same message id.</li>
 * </ul>
 * Thread-safe.
 */
public final class Spool implements AutoCloseable {
    /** An entry and its sequence number. */
    public record Entry(long seq, SpoolRecord record) {
    }

    /** The spool is full under {@link Overflow#REJECT}. */
    public static final class FullException extends RetriableException {
        FullException(String message) {
            super(message);
        }
    }

    private static final int KEY_OVERHEAD = 8;
    /**
     * RocksDB's memory for the spool, fixed rather than scaled: the spool is a FIFO read once by
     * replay, so a memtable that takes a burst and a small cache for the replay cursor are all it
     * uses (RocksDB's own defaults, 64 MiB memtables and a 32 MiB cache, cost a board for nothing).
     */
    static final long WRITE_BUFFER_BYTES = 4L << 20;
    static final int MAX_WRITE_BUFFERS = 2;
    static final long BLOCK_CACHE_BYTES = 4L << 20;
    /** Native memory the spool may hold at most (memtables + cache), counted by the startup budget check. */
    public static final long NATIVE_BYTES = WRITE_BUFFER_BYTES * MAX_WRITE_BUFFERS + BLOCK_CACHE_BYTES;

    private final RocksDB db;
    private final Options options;
    private final Cache cache;
    private final WriteOptions synced;
    private final WriteOptions unsynced;
    private final long maxBytes;
    private final Overflow overflow;
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private long firstSeq;
    private long nextSeq;
    private long bytes;
    private long count;
    private long dropped;
    private boolean closed;

    private Spool(RocksDB db, Options options, Cache cache, long maxBytes, Overflow overflow) {
        this.db = db;
        this.options = options;
        this.cache = cache;
        this.synced = new WriteOptions().setSync(true);
        this.unsynced = new WriteOptions().setSync(false);
        this.maxBytes = maxBytes;
        this.overflow = overflow;
    }

    /** Opens (or creates) the spool in {@code dir}, counting what an earlier run left in it. */
    public static Spool open(Path dir, long maxBytes, Overflow overflow) {
        RocksDB.loadLibrary();
        Cache cache = new LRUCache(BLOCK_CACHE_BYTES);
        Options options = new Options().setCreateIfMissing(true).setWriteBufferSize(WRITE_BUFFER_BYTES)
                .setMaxWriteBufferNumber(MAX_WRITE_BUFFERS).setMaxTotalWalSize(64L << 20).setKeepLogFileNum(2)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
        try {
            PrivateFiles.directory(dir); // RocksDB files follow the umask: the 0700 dir hides them
            Spool s = new Spool(RocksDB.open(options, dir.toString()), options, cache, maxBytes, overflow);
            s.recount();
            return s;
        } catch (Exception e) {
            options.close();
            cache.close();
            throw new EdgeException("Cannot open the spool in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void recount() {
        try (RocksIterator it = db.newIterator()) {
            it.seekToFirst();
            boolean first = true;
            while (it.isValid()) {
                long seq = seq(it.key());
                if (first) {
                    firstSeq = seq;
                    first = false;
                }
                bytes += it.value().length + KEY_OVERHEAD;
                count++;
                nextSeq = seq + 1;
                it.next();
            }
            if (first) {
                firstSeq = nextSeq;
            }
        }
    }

    /**
     * Stores a record durably.
     *
     * @return its sequence number
     * @throws FullException when full under {@link Overflow#REJECT}, or the record alone exceeds the bound
     */
    public long append(SpoolRecord record) {
        byte[] value = record.encode();
        long size = value.length + KEY_OVERHEAD;
        long seq;
        synchronized (this) {
            ensureOpen();
            if (size > maxBytes) {
                throw new FullException("record of " + size + " bytes exceeds the spool bound of " + maxBytes);
            }
            if (bytes + size > maxBytes) {
                if (overflow == Overflow.REJECT) {
                    throw new FullException("spool full (" + bytes + " of " + maxBytes + " bytes)");
                }
                dropOldest(bytes + size - maxBytes);
            }
            seq = nextSeq++;
            bytes += size;
            count++;
            inFlight.add(seq);
        }
        try {
            db.put(synced, key(seq), value);
        } catch (RocksDBException e) {
            synchronized (this) {
                bytes -= size;
                count--;
                inFlight.remove(seq);
                notifyAll();
            }
            throw new EdgeException("spool write failed: " + e.getMessage(), e);
        }
        synchronized (this) {
            inFlight.remove(seq);
            notifyAll(); // close() waits for the writes in flight
        }
        return seq;
    }

    /** Up to {@code max} oldest entries, in order, that are durable and contiguous. */
    public synchronized List<Entry> peek(int max) {
        ensureOpen();
        long readable = (inFlight.isEmpty() ? nextSeq : inFlight.first()) - 1;
        List<Entry> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(key(firstSeq)); it.isValid() && out.size() < max; it.next()) {
                long seq = seq(it.key());
                if (seq > readable) {
                    break;
                }
                out.add(new Entry(seq, SpoolRecord.decode(it.value())));
            }
        }
        return out;
    }

    /** Removes every entry up to and including {@code seq} (Kafka acknowledged them). */
    public synchronized void removeThrough(long seq) {
        ensureOpen();
        removeHead(seq, Long.MAX_VALUE, false);
    }

    /** Drops oldest entries until at least {@code need} bytes are freed. Caller holds the lock. */
    private void dropOldest(long need) {
        removeHead(Long.MAX_VALUE, need, true);
    }

    private void removeHead(long throughSeq, long bytesWanted, boolean countAsDropped) {
        long freed = 0;
        long last = firstSeq - 1;
        long n = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(key(firstSeq)); it.isValid() && freed < bytesWanted; it.next()) {
                long s = seq(it.key());
                if (s > throughSeq || inFlight.contains(s)) {
                    break;
                }
                freed += it.value().length + KEY_OVERHEAD;
                last = s;
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        try {
            db.deleteRange(unsynced, key(firstSeq), key(last + 1));
        } catch (RocksDBException e) {
            throw new EdgeException("spool delete failed: " + e.getMessage(), e);
        }
        firstSeq = last + 1;
        bytes -= freed;
        count -= n;
        if (countAsDropped) {
            dropped += n;
        }
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long size() {
        return count;
    }

    /** Entries discarded under {@link Overflow#DROP_OLDEST} since this spool was opened. */
    public synchronized long dropped() {
        return dropped;
    }

    /**
     * Closes the store once the writes in flight have finished (at most 10 s); later calls fail
     * with {@link IllegalStateException}: RocksDB used after close would crash the JVM.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.currentTimeMillis() + 10_000;
        try {
            while (!inFlight.isEmpty() && System.currentTimeMillis() < deadline) {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synced.close();
        unsynced.close();
        db.close();
        options.close();
        cache.close();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the spool is closed");
        }
    }

    private static byte[] key(long seq) {
        return ByteBuffer.allocate(8).putLong(seq).array();
    }

    private static long seq(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }
}
