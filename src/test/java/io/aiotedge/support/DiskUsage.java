package io.aiotedge.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The space files take on disk ({@code du -sk}), not their length: RocksDB fallocates its WAL
 * files with FALLOC_FL_KEEP_SIZE, so {@code ls -l} and {@code Files.size} show a few bytes for a
 * file holding hundreds of MB. Measure while the process runs or after SIGKILL (a clean close
 * gives the preallocation back).
 */
public final class DiskUsage {
    private DiskUsage() {
    }

    /**
     * A running store deletes and renames files while {@code du} walks it; du then says "No such
     * file or directory", exits 1 and still prints the total of what it found, which is the figure
     * wanted. Any other failure, or no total, is an error.
     */
    public static long allocatedKiB(Path dir) throws IOException, InterruptedException {
        Proc.Result r = Proc.run(30, List.of("du", "-sk", dir.toString()));
        String total = r.stdout().trim().split("\\s+")[0];
        boolean vanished = r.exitCode() == 1 && r.stderr().lines().allMatch(l -> l.contains("No such file"));
        if ((r.exitCode() != 0 && !vanished) || !total.matches("[0-9]+")) {
            throw new IllegalStateException("du -sk " + dir + " failed (" + r.exitCode() + "): " + r.stderr());
        }
        return Long.parseLong(total);
    }
}
