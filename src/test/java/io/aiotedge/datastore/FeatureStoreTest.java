package io.aiotedge.datastore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aiotedge.core.EdgeException;
import io.aiotedge.storage.Database;
import io.aiotedge.support.Backend;
import io.aiotedge.support.PostgresServer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The datastore's table on both databases: batch insert, dedupe, retention, concurrent writers, queries. */
class FeatureStoreTest {
    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();
    private static final List<String> NAMES = List.of("rms_x", "rms_y", "peak_hz");

    @TempDir
    Path dir;
    private Database db;

    private FeatureStore store(Backend backend) throws Exception {
        db = backend.start(PG, dir);
        return new FeatureStore(db::dataSource);
    }

    @AfterEach
    void stop() {
        if (db != null) {
            db.stop();
        }
    }

    private static FeatureRow row(int i) {
        return row("k-" + i, "motor-" + i % 3, 1_000L + i, NAMES);
    }

    private static FeatureRow row(String key, String device, long ts, List<String> names) {
        double[] v = new double[names.size()];
        for (int j = 0; j < v.length; j++) {
            v[j] = ts + j / 10.0;
        }
        return new FeatureRow(0, key, device, ts, ts, ts % 2 == 0 ? "healthy" : null, names, v, "aiot.telemetry");
    }

    private static List<FeatureRow> rows(int from, int to) {
        return IntStream.range(from, to).mapToObj(FeatureStoreTest::row).toList();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void insert_batch_storesEveryRowAndReadsItBack(Backend backend) throws Exception {
        FeatureStore s = store(backend);
        assertEquals(500, s.insert(rows(0, 500), 9));
        assertEquals(500, s.count());
        List<FeatureRow> got = s.query(new RowQuery(0, Long.MAX_VALUE, "motor-1", null, 0, 1000));
        assertEquals(167, got.size());
        FeatureRow first = got.get(0);
        assertEquals("k-1", first.dedupeKey());
        assertEquals(NAMES, first.names());
        assertArrayEquals(new double[] {1001.0, 1001.1, 1001.2}, first.values());
        assertEquals(1001L, first.sequence());
        assertEquals(NAMES, s.featureNames(0, Long.MAX_VALUE));
        List<FeatureRow> page = s.query(new RowQuery(0, Long.MAX_VALUE, null, "healthy", got.get(0).id(), 10));
        assertEquals(10, page.size());
        assertEquals("k-2", page.get(0).dedupeKey());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void insert_redeliveredAndOverlappingBatches_storeEachKeyOnce(Backend backend) throws Exception {
        FeatureStore s = store(backend);
        assertEquals(300, s.insert(rows(0, 300), 9));
        assertEquals(0, s.insert(rows(0, 300), 9), "a redelivered batch stores nothing");
        List<FeatureRow> mixed = new ArrayList<>(rows(250, 400)); // 50 stored, 100 new
        mixed.addAll(rows(390, 400)); // and 10 twice in the same batch
        assertEquals(100, s.insert(mixed, 9));
        assertEquals(400, s.count());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void insert_duplicatesWithOffsets_savesThePositionInTheSameTransaction(Backend backend) throws Exception {
        FeatureStore s = store(backend);
        var consumed = new IngestOffsets.Consumed("g1", List.of(new IngestOffsets.Position("aiot.telemetry", 0, 300)));
        assertEquals(300, s.insert(rows(0, 300), 9, consumed));
        var later = new IngestOffsets.Consumed("g1", List.of(new IngestOffsets.Position("aiot.telemetry", 0, 600),
                new IngestOffsets.Position("aiot.telemetry", 1, 7)));
        assertEquals(0, s.insert(rows(0, 300), 9, later), "all duplicates: the row-by-row path");
        assertEquals(Map.of("aiot.telemetry/0", 600L, "aiot.telemetry/1", 7L), s.storedOffsets("g1"));
        assertEquals(Map.of(), s.storedOffsets("other"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void insert_concurrentWritersOnOverlappingKeys_storeEachKeyOnce(Backend backend) throws Exception {
        FeatureStore s = store(backend);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> added = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int start = w * 150; // writer w: keys [150w, 150w + 400): each overlaps the next ones
                Callable<Integer> job = () -> {
                    int n = 0;
                    for (int b = start; b < start + 400; b += 100) {
                        n += s.insert(rows(b, b + 100), 9);
                    }
                    return n;
                };
                added.add(pool.submit(job));
            }
            int total = 0;
            for (Future<Integer> f : added) {
                total += f.get();
            }
            assertEquals(850, total, "keys 0..849, each counted by exactly one writer");
            assertEquals(850, s.count());
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void trim_deletesByAgeThenTheOldestBeyondMaxRows(Backend backend) throws Exception {
        FeatureStore s = store(backend);
        s.insert(rows(0, 1000), 9); // ts 1000..1999
        assertEquals(100, s.trim(1100, 10_000), "older than ts 1100");
        assertEquals(900, s.count());
        assertEquals(400, s.trim(0, 500), "the oldest beyond 500");
        assertEquals(500, s.count());
        assertEquals("k-500", s.query(new RowQuery(0, Long.MAX_VALUE, null, null, 0, 1)).get(0).dedupeKey());
        assertEquals(0, s.trim(0, 500));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void insert_schemaOfManyLongNames_isStoredOnBoth(Backend backend) throws Exception {
        FeatureStore s = store(backend);
        SecureRandom random = new SecureRandom();
        List<String> names = IntStream.range(0, 100) // ~6.6 kB incompressible: over PostgreSQL's btree limit
                .mapToObj(i -> "f" + HexFormat.of().formatHex(random.generateSeed(32))).toList();
        assertEquals(2, s.insert(List.of(row("a", "m", 5, names), row("b", "m", 6, names)), 9));
        assertEquals(1, s.insert(List.of(row("c", "m", 7, NAMES)), 9));
        FeatureStore fresh = new FeatureStore(db::dataSource); // no cached schema ids
        assertEquals(1, fresh.insert(List.of(row("d", "m", 8, names)), 9), "the stored schema is found again");
        assertEquals(names, fresh.query(new RowQuery(0, 100, null, null, 0, 10)).get(0).names());
        List<String> union = new ArrayList<>(names);
        union.addAll(NAMES);
        assertEquals(union, fresh.featureNames(0, 100));
        assertEquals(2, count(db, "SELECT COUNT(*) FROM feature_schemas WHERE names_sha256 IS NOT NULL"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void insert_rowOverTheColumnLimits_failsAndStoresNothing(Backend backend) throws Exception {
        FeatureStore s = store(backend);
        FeatureRow tooLong = row("x".repeat(201), "m", 1, NAMES); // dedupe_key is VARCHAR(200)
        assertThrows(EdgeException.class, () -> s.insert(List.of(row(1), tooLong), 9));
        assertEquals(0, s.count(), "the whole batch rolled back");
        assertEquals(1, s.insert(List.of(row(1)), 9), "and the store still works");
    }

    private static long count(Database db, String sql) throws Exception {
        try (var c = db.dataSource().getConnection(); var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
