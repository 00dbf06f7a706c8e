package io.aiotedge.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.BridgeConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 in the middle of appending loses nothing that append had returned for. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpoolKillIT {
    @TempDir
    Path dir;

    @Test
    void sigkillMidStream_everyAcknowledgedRecordIsThereAfterReopen() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SpoolChild.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<Long> acked = new HashSet<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acked.size() < 3000 && (line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acked.add(Long.parseLong(line.split(" ")[1]));
                }
            }
            // SIGKILL while it keeps appending; not destroyForcibly(), which also closes our end of its stdout
            assertEquals(0, new ProcessBuilder("kill", "-9", String.valueOf(child.pid())).start().waitFor());
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            while ((line = out.readLine()) != null) { // acks printed before it died also count
                if (line.startsWith("ACK ")) {
                    acked.add(Long.parseLong(line.split(" ")[1]));
                }
            }
        }
        assertTrue(acked.size() >= 3000, "the child acknowledged appends: " + acked.size());
        try (Spool s = Spool.open(dir, 1L << 30, BridgeConfig.Overflow.REJECT)) {
            List<Spool.Entry> all = s.peek(1_000_000);
            Set<Long> present = new HashSet<>();
            all.forEach(e -> present.add(e.seq()));
            Set<Long> lost = new HashSet<>(acked);
            lost.removeAll(present);
            assertEquals(Set.of(), lost, "acknowledged records lost by kill -9");
            for (int i = 1; i < all.size(); i++) {
                assertEquals(all.get(i - 1).seq() + 1, all.get(i).seq(), "the surviving spool has no gaps");
            }
        }
    }
}
