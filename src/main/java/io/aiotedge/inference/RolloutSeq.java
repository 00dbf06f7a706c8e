package io.aiotedge.inference;

import io.aiotedge.inference.ModelUpdater.Rejected;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The highest rollout {@code seq} this node has acted on, of any rollout, kept across restarts in
 * one file ({@code <dataDir>/inference/rollout-seq}): a rollout message at or below it is a replay.
 * Read once at construction; {@link #keep} replaces the file atomically before the value moves.
 * Written by the one thread that applies rollout messages; {@link #high} may be read from any thread.
 */
final class RolloutSeq {
    private static final Logger log = LoggerFactory.getLogger(RolloutSeq.class);
    static final String FILE = "rollout-seq";

    private final Path file;
    private volatile long high;

    /** @param file where the mark is kept; unreadable or absent counts as 0 */
    RolloutSeq(Path file) {
        this.file = file;
        this.high = read(file);
    }

    private static long read(Path file) {
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            log.warn("Ignoring unreadable {}: {}", file, e.getMessage());
            return 0;
        }
    }

    long high() {
        return high;
    }

    /** Keeps {@code seq} as the new mark; refuses (and keeps the old one) when it cannot be written. */
    void keep(long seq) throws Rejected {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.writeString(tmp, Long.toString(seq));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            high = seq;
        } catch (IOException e) {
            throw new Rejected("cannot keep the rollout sequence in " + file + ": " + e.getMessage());
        }
    }
}
