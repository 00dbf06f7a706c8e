package io.aiotedge.storage;

import io.aiotedge.core.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Files stored under the hex SHA-256 of their content ({@code <root>/ab/abcdef...}). A put streams
 * to a temporary file while hashing and counting, refuses more than {@code maxBytes}, and moves
 * the result into place atomically, so a reader never sees a partial file and storing the same
 * bytes twice keeps one copy. Thread-safe: concurrent puts of the same content race only on an
 * atomic rename of identical bytes.
 */
public final class ContentStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public ContentStore(Path root) {
        this.root = root;
    }

    /** What a put stored. */
    public record Stored(String sha256, long size, Path path) {
    }

    /** Thrown when a put exceeds its limit; nothing is kept. */
    public static final class TooLargeException extends IOException {
        public TooLargeException(long limit) {
            super("content exceeds " + limit + " bytes");
        }
    }

    public Stored put(InputStream in, long maxBytes) throws IOException {
        PrivateFiles.directory(root);
        Path tmp = Files.createTempFile(root, "put-", ".tmp");
        try {
            MessageDigest md = sha256();
            long size = copyLimited(new DigestInputStream(in, md), tmp, maxBytes);
            String hex = HexFormat.of().formatHex(md.digest());
            Path target = pathOf(hex);
            PrivateFiles.directory(target.getParent());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Stored(hex, size, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The stored file, if present. {@code sha256} must be 64 lowercase hex digits. */
    public Optional<Path> find(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            return Optional.empty();
        }
        Path p = pathOf(sha256);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** Recomputes a stored file's hash: true when its content still matches its name. */
    public boolean intact(String sha256) throws IOException {
        Optional<Path> p = find(sha256);
        return p.isPresent() && sha256.equals(hashOf(p.get()));
    }

    public void delete(String sha256) throws IOException {
        Optional<Path> p = find(sha256);
        if (p.isPresent()) {
            Files.deleteIfExists(p.get());
        }
    }

    /** The hashes of every stored file (not the temporary files of puts in progress). */
    public java.util.Set<String> list() throws IOException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (var files = Files.walk(root, 2)) {
            files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .filter(n -> SHA256.matcher(n).matches()).forEach(out::add);
        }
        return out;
    }

    public static String hashOf(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private Path pathOf(String hex) {
        return root.resolve(hex.substring(0, 2)).resolve(hex);
    }

    private static long copyLimited(InputStream in, Path target, long maxBytes) throws IOException {
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = in.read(buf)) > 0;) {
                total += n;
                if (total > maxBytes) {
                    throw new TooLargeException(maxBytes);
                }
                out.write(buf, 0, n);
            }
            out.flush();
        }
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
            ch.force(true); // durable before any database row points at it
        }
        return total;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
