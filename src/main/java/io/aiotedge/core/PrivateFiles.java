package io.aiotedge.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule for what the node keeps on disk: directories 0700, files 0600, whatever the
 * process umask (a node started by hand has 022, so H2, RocksDB and HiveMQ would leave their
 * files world-readable). Files we write go through {@link #write}; the directories we hand to
 * libraries go through {@link #directory}, which also tightens an existing one, so the files a
 * library creates inside are unreachable for other users even where their own mode is 0644.
 * On a file system without POSIX permissions both fall back to plain creation. Stateless.
 */
public final class PrivateFiles {
    private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);
    public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates {@code dir} (and missing parents) 0700, or tightens it to 0700; returns it. */
    public static Path directory(Path dir) throws IOException {
        if (!posix(dir)) {
            return Files.createDirectories(dir);
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, attribute(DIR));
        }
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir);
        if (!now.equals(DIR)) {
            Files.setPosixFilePermissions(dir, DIR);
            log.info("Restricted {} to its owner (was {})", dir, PosixFilePermissions.toString(now));
        }
        return dir;
    }

    /** Writes {@code bytes} to {@code file} atomically (temp file + rename) with mode 0600. */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Path tmp = parent.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (posix(parent)) {
            Files.createFile(tmp, attribute(FILE));
        }
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Makes an existing file 0600 (a file a library wrote that holds a secret). */
    public static void restrict(Path file) throws IOException {
        if (posix(file)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> perms) {
        return PosixFilePermissions.asFileAttribute(perms);
    }
}
