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

    public static long allocatedKiB(Path dir) throws IOException, InterruptedException {
        Proc.Result r = Proc.run(30, List.of("du", "-sk", dir.toString()));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("du -sk " + dir + " failed: " + r.stderr());
        }
        return Long.parseLong(r.stdout().trim().split("\\s+")[0]);
    }
}
