package io.aiotedge.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.BridgeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    static SpoolRecord record(String key, int i) {
        return new SpoolRecord("aiot.telemetry", key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                ("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                List.of(new SpoolRecord.Header("mqtt.topic",
                        ("aiot/v1/things/" + key + "/telemetry").getBytes(StandardCharsets.UTF_8)),
                        new SpoolRecord.Header("msg.id", ("id-" + i).getBytes(StandardCharsets.UTF_8))));
    }

    private static int seqOf(Spool.Entry e) {
        String v = new String(e.record().value(), StandardCharsets.UTF_8);
        return Integer.parseInt(v.replaceAll("\\D", ""));
    }

    @Test
    void usedAfterClose_failsWithAPreciseError_insteadOfCrashingTheJvm() {
        Spool s = Spool.open(dir, 1 << 20, BridgeConfig.Overflow.REJECT);
        s.append(record("motor-A", 0));
        s.close();
        s.close(); // twice is harmless
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> s.append(record("motor-A", 1)));
        assertEquals("the spool is closed", e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> s.peek(10));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> s.removeThrough(0));
        try (Spool again = Spool.open(dir, 1 << 20, BridgeConfig.Overflow.REJECT)) {
            assertEquals(1, again.size(), "what was appended before close is there");
        }
    }

    @Test
    void append_thenPeek_returnsRecordsInOrderWithEveryField() {
        try (Spool s = Spool.open(dir, 1 << 20, BridgeConfig.Overflow.REJECT)) {
            s.append(record("motor-A", 0));
            s.append(new SpoolRecord("aiot.raw", null, new byte[] {1, 2, 3}, List.of()));
            List<Spool.Entry> e = s.peek(10);
            assertEquals(2, e.size());
            assertEquals("aiot.telemetry", e.get(0).record().topic());
            assertArrayEquals("motor-A".getBytes(StandardCharsets.UTF_8), e.get(0).record().key());
            assertEquals("msg.id", e.get(0).record().headers().get(1).name());
            assertArrayEquals("id-0".getBytes(StandardCharsets.UTF_8), e.get(0).record().headers().get(1).value());
            assertNull(e.get(1).record().key());
            assertArrayEquals(new byte[] {1, 2, 3}, e.get(1).record().value());
            assertTrue(e.get(0).seq() < e.get(1).seq());
        }
    }

    @Test
    void removeThrough_freesTheAcknowledgedPrefixOnly() {
        try (Spool s = Spool.open(dir, 1 << 20, BridgeConfig.Overflow.REJECT)) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                seqs.add(s.append(record("m", i)));
            }
            long before = s.bytes();
            s.removeThrough(seqs.get(3));
            assertEquals(6, s.size());
            assertTrue(s.bytes() < before);
            assertEquals(4, seqOf(s.peek(1).get(0)));
            s.removeThrough(seqs.get(9));
            assertEquals(0, s.size());
            assertEquals(0, s.bytes());
            assertEquals(List.of(), s.peek(10));
        }
    }

    @Test
    void reopen_keepsWhatWasNotRemoved_andContinuesTheSequence() {
        long last;
        try (Spool s = Spool.open(dir, 1 << 20, BridgeConfig.Overflow.REJECT)) {
            for (int i = 0; i < 5; i++) {
                last = s.append(record("m", i));
            }
            s.removeThrough(s.peek(2).get(1).seq());
            last = s.peek(10).get(2).seq();
        }
        try (Spool s = Spool.open(dir, 1 << 20, BridgeConfig.Overflow.REJECT)) {
            assertEquals(3, s.size());
            assertEquals(List.of(2, 3, 4), s.peek(10).stream().map(SpoolTest::seqOf).toList());
            assertTrue(s.append(record("m", 5)) > last, "new entries sort after the old ones");
        }
    }

    @Test
    void reject_whenFull_refusesAndKeepsEverythingAccepted() {
        try (Spool s = Spool.open(dir, 2_000, BridgeConfig.Overflow.REJECT)) {
            int accepted = 0;
            Spool.FullException full = null;
            for (int i = 0; i < 100 && full == null; i++) {
                try {
                    s.append(record("m", i));
                    accepted++;
                } catch (Spool.FullException e) {
                    full = e;
                }
            }
            assertTrue(full != null && full.getMessage().contains("spool full"), "the bound is enforced");
            assertTrue(s.bytes() <= 2_000);
            assertEquals(accepted, s.size());
            List<Integer> kept = s.peek(1000).stream().map(SpoolTest::seqOf).toList();
            assertEquals(accepted, kept.size());
            assertEquals(0, kept.get(0), "nothing accepted was dropped");
            assertEquals(0, s.dropped());
        }
    }

    @Test
    void dropOldest_whenFull_dropsAnExactCountAndKeepsTheNewest() {
        try (Spool s = Spool.open(dir, 2_000, BridgeConfig.Overflow.DROP_OLDEST)) {
            for (int i = 0; i < 100; i++) {
                s.append(record("m", i));
            }
            assertTrue(s.bytes() <= 2_000);
            assertEquals(100, s.size() + s.dropped(), "every record is either kept or counted as dropped");
            List<Integer> kept = s.peek(1000).stream().map(SpoolTest::seqOf).toList();
            assertEquals(99, kept.get(kept.size() - 1));
            assertEquals(s.dropped(), kept.get(0).longValue(), "exactly the oldest were dropped");
        }
    }

    @Test
    void recordLargerThanTheWholeBound_isRefusedUnderEitherPolicy() {
        for (BridgeConfig.Overflow policy : BridgeConfig.Overflow.values()) {
            try (Spool s = Spool.open(dir.resolve(policy.name()), 100, policy)) {
                assertThrows(Spool.FullException.class,
                        () -> s.append(new SpoolRecord("t", null, new byte[500], List.of())));
                assertEquals(0, s.size());
            }
        }
    }

    @Test
    void concurrentAppends_areAllKeptInSequenceWithoutGaps() throws Exception {
        try (Spool s = Spool.open(dir, 64 << 20, BridgeConfig.Overflow.REJECT)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        s.append(record("motor-" + thread, i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            List<Spool.Entry> all = s.peek(10_000);
            assertEquals(2000, all.size());
            for (int i = 1; i < all.size(); i++) {
                assertEquals(all.get(i - 1).seq() + 1, all.get(i).seq(), "no gaps");
            }
            for (int t = 0; t < 8; t++) { // per key, the order of appends is kept
                String key = "motor-" + t;
                List<Integer> perKey = all.stream()
                        .filter(e -> key.equals(new String(e.record().key(), StandardCharsets.UTF_8)))
                        .map(SpoolTest::seqOf).toList();
                assertEquals(java.util.stream.IntStream.range(0, 250).boxed().toList(), perKey);
            }
        }
    }

    @Test
    void decode_corruptEntry_isAClearError() {
        byte[] good = record("m", 1).encode();
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SpoolRecord.decode(truncated));
        assertTrue(e.getMessage().startsWith("corrupt spool entry"), e.getMessage());
        byte[] wrongFormat = good.clone();
        wrongFormat[0] = 9;
        assertThrows(IllegalStateException.class, () -> SpoolRecord.decode(wrongFormat));
    }
}
