package io.aiotedge.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory limit of the cgroup this process runs in, read from {@code /proc/self/cgroup} and the
 * cgroup filesystem: v2 ({@code memory.max}, a board's OS and systemd's {@code MemoryMax=}) or v1
 * ({@code memory.limit_in_bytes}). The effective limit is the smallest along the path up to the
 * root (a parent's limit holds its children). A container sees its own group as the root, so when
 * the path from {@code /proc/self/cgroup} is not mounted the root's file is read. "max", v1's
 * "unlimited" page-rounded {@code Long.MAX_VALUE} and anything at or above 2^60 count as no limit;
 * an unreadable or malformed file is reported, never guessed at. Stateless.
 */
final class CgroupMemory {
    /** Values at or above this (1 EiB) are "no limit": v1 writes 9223372036854771712 for none. */
    static final long UNLIMITED_FROM = 1L << 60;

    /** The limit in bytes, or -1 for none; {@code source} says which file (or why none was found). */
    record Limit(long bytes, String source) {
        boolean limited() {
            return bytes > 0;
        }
    }

    private CgroupMemory() {
    }

    /** The limit of this process, from the real {@code /proc/self/cgroup} and {@code /sys/fs/cgroup}. */
    static Limit current() {
        return read(Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup"));
    }

    /** As {@link #current()}, with both roots given (tests lay out real files under a temp dir). */
    static Limit read(Path procSelfCgroup, Path cgroupRoot) {
        List<String> lines;
        try {
            lines = Files.readAllLines(procSelfCgroup, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Limit(-1, "no " + procSelfCgroup + " (" + e.getMessage() + ")");
        }
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains("memory")) {
                return smallest(cgroupRoot.resolve("memory"), f[2], "memory.limit_in_bytes");
            }
        }
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && f[0].equals("0") && f[1].isEmpty()) {
                return smallest(cgroupRoot, f[2], "memory.max");
            }
        }
        return new Limit(-1, "no memory cgroup in " + procSelfCgroup);
    }

    /** The smallest limit on the path from {@code group} up to the mount's root. */
    private static Limit smallest(Path mount, String group, String file) {
        Path dir = mount.resolve(group.startsWith("/") ? group.substring(1) : group).normalize();
        if (!dir.startsWith(mount) || !Files.isRegularFile(dir.resolve(file))) {
            dir = mount; // a container's namespace: its own group is mounted as the root
        }
        Limit best = new Limit(-1, "no limit (" + dir.resolve(file) + ")");
        for (Path d = dir; d != null && d.startsWith(mount); d = d.getParent()) {
            Path p = d.resolve(file);
            if (!Files.isRegularFile(p)) {
                continue;
            }
            long v;
            try {
                v = parse(Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException | IllegalArgumentException e) {
                return new Limit(-1, "unreadable " + p + ": " + e.getMessage());
            }
            if (v > 0 && (!best.limited() || v < best.bytes())) {
                best = new Limit(v, p.toString());
            }
        }
        return best;
    }

    /** A limit file's content: bytes, or -1 for "max" / unlimited. */
    static long parse(String content) {
        String s = content.strip();
        if (s.equals("max")) {
            return -1;
        }
        if (!s.matches("[0-9]+")) {
            throw new IllegalArgumentException("not a byte count or \"max\": '" + abbreviate(s) + "'");
        }
        if (s.length() > 18) {
            return -1; // past 10^18 (and past Long.MAX_VALUE): no limit a machine could hold
        }
        long v = Long.parseLong(s);
        return v >= UNLIMITED_FROM ? -1 : v;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
