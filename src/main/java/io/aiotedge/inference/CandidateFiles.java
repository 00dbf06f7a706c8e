package io.aiotedge.inference;

import io.aiotedge.core.PrivateFiles;
import io.aiotedge.inference.ModelUpdater.Rejected;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link CandidateSlot} keeps on disk in {@code <dataDir>/inference/candidate/}: the
 * candidate's {@code .tflite} (one at a time, private to the node's user), its download's
 * {@code .part}, and {@code candidate.json}, the rollout message it was installed by. No state
 * beyond the directory; the slot serialises what needs it.
 */
final class CandidateFiles {
    private static final Logger log = LoggerFactory.getLogger(CandidateFiles.class);
    static final String META = "candidate.json";

    private final Path dir;

    CandidateFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path model(Announcement a) {
        return dir.resolve(ModelFetcher.fileName(a));
    }

    /** Keeps {@code a}'s bytes as the only candidate file; the download's {@code .part} goes. */
    void keepOnly(Announcement a, byte[] bytes) throws Rejected {
        try {
            PrivateFiles.directory(dir);
            PrivateFiles.write(model(a), bytes);
            deletePart(a);
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    String n = p.getFileName().toString();
                    if (n.endsWith(".tflite") && !n.equals(ModelFetcher.fileName(a))) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new Rejected("cannot keep candidate v" + a.version() + " on disk: " + e.getMessage());
        }
    }

    void keepMessage(byte[] payload) {
        try {
            PrivateFiles.write(dir.resolve(META), payload);
        } catch (IOException e) {
            log.warn("Cannot keep the rollout message in {}: {}", dir, e.getMessage());
        }
    }

    /** The kept rollout message, or null when there is none. */
    byte[] message() throws IOException {
        Path meta = dir.resolve(META);
        return Files.exists(meta) ? Files.readAllBytes(meta) : null;
    }

    void deleteMessage() {
        deleteQuietly(dir.resolve(META));
    }

    void delete(Announcement a) {
        deleteQuietly(model(a));
    }

    void deletePart(Announcement a) {
        deleteQuietly(dir.resolve(ModelFetcher.fileName(a) + ".part"));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.debug("Cannot delete {}: {}", p, e.getMessage());
        }
    }
}
