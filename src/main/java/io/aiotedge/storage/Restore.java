package io.aiotedge.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.EdgeException;
import io.aiotedge.core.PrivateFiles;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Unpacks a {@link Backups} zip into a new data directory, offline (no node runs on it). Refuses
 * a target that exists and is not empty, and an archive with any entry that is absolute, has a
 * {@code ..} segment or a backslash, or lies outside {@code platform/}, {@code keys/},
 * {@code models/} and the manifest: every entry is checked before anything is written. Files are
 * written 0600 and directories 0700 (the archive holds the node's keys). Stateless.
 */
public final class Restore {
    private static final List<String> AREAS = List.of("platform/", "keys/", "models/");

    private Restore() {
    }

    /** The target or the archive is refused; nothing was written. */
    public static final class Refused extends EdgeException {
        Refused(String message) {
            super(message);
        }
    }

    /** What a restore wrote. */
    public record Result(int files, String database) {
    }

    /** @throws Refused when the target is not empty or the archive is refused (the message says why) */
    public static Result into(Path zipFile, Path dataDir) throws IOException {
        if (!Files.isRegularFile(zipFile)) {
            throw new Refused("--from: no such backup file: " + zipFile);
        }
        if (Files.exists(dataDir) && (!Files.isDirectory(dataDir) || !empty(dataDir))) {
            throw new Refused("--data-dir: " + dataDir + " is not an empty directory; restore only into a "
                    + "new or empty one (a backup never overwrites a node's state)");
        }
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            String database = check(zip, dataDir.toAbsolutePath().normalize());
            PrivateFiles.directory(dataDir);
            int files = 0;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                if (entry.isDirectory() || entry.getName().equals(Backups.MANIFEST)) {
                    continue;
                }
                Path target = dataDir.resolve(entry.getName());
                mkdirs(dataDir, target.getParent());
                PrivateFiles.write(target, new byte[0]); // 0600 before any content
                try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
                    in.transferTo(out); // into the 0600 file (a replacing copy would take the umask)
                }
                files++;
            }
            return new Result(files, database);
        }
    }

    /** Every entry checked before anything is written; returns the manifest's database kind. */
    private static String check(ZipFile zip, Path root) throws IOException {
        ZipEntry manifest = zip.getEntry(Backups.MANIFEST);
        if (manifest == null) {
            throw new Refused("--from: not an aiot-edge backup (no " + Backups.MANIFEST + ")");
        }
        JsonNode m;
        try (InputStream in = zip.getInputStream(manifest)) {
            m = Json.mapper().readTree(in.readAllBytes());
        }
        if (!Backups.FORMAT.equals(m.path("format").asText())) {
            throw new Refused("--from: unknown backup format '" + m.path("format").asText() + "' (expected "
                    + Backups.FORMAT + ")");
        }
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
            String name = e.nextElement().getName();
            String why = refusal(name, root);
            if (why != null) {
                throw new Refused("--from: refused entry '" + name + "': " + why + "; nothing was restored");
            }
        }
        return m.path("database").asText();
    }

    private static String refusal(String name, Path root) {
        if (name.equals(Backups.MANIFEST)) {
            return null;
        }
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")
                || name.indexOf('\0') >= 0) {
            return "an absolute or non-portable path";
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return "a '" + segment + "' segment";
            }
        }
        if (AREAS.stream().noneMatch(name::startsWith)) {
            return "outside platform/, keys/ and models/";
        }
        if (!root.resolve(name).normalize().startsWith(root)) {
            return "outside the data directory";
        }
        return null;
    }

    private static void mkdirs(Path root, Path dir) throws IOException {
        if (dir == null || dir.equals(root) || Files.isDirectory(dir)) {
            return;
        }
        mkdirs(root, dir.getParent());
        PrivateFiles.directory(dir);
    }

    private static boolean empty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
