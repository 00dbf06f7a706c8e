package io.aiotedge.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A memory cgroup with a hard limit, made as a child of the test's own group, for starting the real
 * JAR under a board's budget. Modes, tried in order: {@link Mode#V1} ({@code memory.limit_in_bytes},
 * the controller this CI machine has), {@link Mode#V2} ({@code memory.max}, a board's OS), and where
 * neither can be made {@link Mode#MAX_RAM}: no kernel limit, the JVM told {@code -XX:MaxRAM} and the
 * peak RSS read from {@code /proc/PID/status}. {@link #mode()} says which was used; tests report it.
 * A process is put in the group by {@link #wrap}: {@code sh} writes its own pid into
 * {@code cgroup.procs} and then execs the command, so the JVM is in the group from its first
 * instruction and keeps the pid the test sees. {@link #close} removes the group.
 */
public final class MemoryCgroup implements AutoCloseable {
    /** How the limit is held. */
    public enum Mode {
        V1, V2, MAX_RAM
    }

    /** One reading: the process's peak and current RSS, the group's peak charge and its OOM kills. */
    public record Usage(Mode mode, long limitBytes, long peakRssBytes, long rssBytes, long groupPeakBytes,
            long oomKills) {
        public long peakRssMiB() {
            return peakRssBytes >> 20;
        }

        /** One line for the test output and target/budgets.txt. */
        public String describe(String what) {
            return String.format(Locale.ROOT,
                    "budget %s: mode=%s limit=%dMiB peakRss=%dMiB rss=%dMiB groupPeak=%s oomKills=%d", what,
                    mode, limitBytes >> 20, peakRssBytes >> 20, rssBytes >> 20,
                    groupPeakBytes < 0 ? "n/a" : (groupPeakBytes >> 20) + "MiB", oomKills);
        }
    }

    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final Mode mode;
    private final long limitBytes;
    private final Path dir;
    private final String why;

    private MemoryCgroup(Mode mode, long limitBytes, Path dir, String why) {
        this.mode = mode;
        this.limitBytes = limitBytes;
        this.dir = dir;
        this.why = why;
    }

    /** A child group named after {@code name} (and this JVM's pid) limited to {@code limitBytes}, without swap. */
    public static MemoryCgroup create(String name, long limitBytes) {
        String leaf = "aiot-" + name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        List<String> tried = new ArrayList<>();
        try {
            Path own = ownGroup("memory");
            if (own != null && Files.isRegularFile(own.resolve("memory.limit_in_bytes"))) {
                Path child = Files.createDirectory(own.resolve(leaf));
                write(child.resolve("memory.limit_in_bytes"), limitBytes);
                writeIfPresent(child.resolve("memory.memsw.limit_in_bytes"), limitBytes);
                return new MemoryCgroup(Mode.V1, limitBytes, child, "v1 " + child);
            }
            tried.add("no v1 memory controller");
        } catch (IOException | RuntimeException e) {
            tried.add("v1: " + e);
        }
        try {
            Path own = ownGroup("");
            if (own != null && read(ROOT.resolve("cgroup.controllers")).contains("memory")) {
                writeIfPresent(own.resolve("cgroup.subtree_control"), "+memory");
                Path child = Files.createDirectory(own.resolve(leaf));
                if (!Files.isRegularFile(child.resolve("memory.max"))) {
                    Files.delete(child);
                    throw new IOException("memory is not enabled below " + own);
                }
                write(child.resolve("memory.max"), limitBytes);
                writeIfPresent(child.resolve("memory.swap.max"), 0);
                return new MemoryCgroup(Mode.V2, limitBytes, child, "v2 " + child);
            }
            tried.add("no v2 memory controller");
        } catch (IOException | RuntimeException e) {
            tried.add("v2: " + e);
        }
        return new MemoryCgroup(Mode.MAX_RAM, limitBytes, null, "-XX:MaxRAM (" + String.join("; ", tried) + ")");
    }

    /** The test's own group of {@code controller} ("" = the v2 unified line), or null. */
    private static Path ownGroup(String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8)) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (controller.isEmpty() ? f[0].equals("0") && f[1].isEmpty()
                    : List.of(f[1].split(",")).contains(controller)) {
                Path base = controller.isEmpty() ? ROOT : ROOT.resolve(controller);
                return base.resolve(f[2].substring(1));
            }
        }
        return null;
    }

    public Mode mode() {
        return mode;
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** Where the group is, or why there is none. */
    public String describe() {
        return why;
    }

    /** JVM flags the mode needs: {@code -XX:MaxRAM} when no kernel limit holds the JVM. */
    public List<String> jvmFlags() {
        return mode == Mode.MAX_RAM ? List.of("-XX:MaxRAM=" + limitBytes) : List.of();
    }

    /** {@code command} started inside the group (unchanged without one). */
    public List<String> wrap(List<String> command) {
        if (dir == null) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("sh", "-c",
                "echo $$ > '" + dir.resolve("cgroup.procs") + "' && exec \"$@\"", "sh"));
        out.addAll(command);
        return out;
    }

    /** The reading for process {@code pid} (alive, in this group). */
    public Usage usage(long pid) {
        long[] rss = procStatus(pid);
        long groupPeak = -1;
        long oom = 0;
        if (mode == Mode.V1) {
            groupPeak = Long.parseLong(read(dir.resolve("memory.max_usage_in_bytes")).trim());
            oom = field(read(dir.resolve("memory.oom_control")), "oom_kill");
        } else if (mode == Mode.V2) {
            Path peak = dir.resolve("memory.peak");
            groupPeak = Files.isRegularFile(peak) ? Long.parseLong(read(peak).trim()) : -1;
            oom = field(read(dir.resolve("memory.events")), "oom_kill");
        }
        return new Usage(mode, limitBytes, rss[0], rss[1], groupPeak, oom);
    }

    /** OOM kills in the group so far (0 without a group: nothing there kills). */
    public long oomKills() {
        return switch (mode) {
            case V1 -> field(read(dir.resolve("memory.oom_control")), "oom_kill");
            case V2 -> field(read(dir.resolve("memory.events")), "oom_kill");
            case MAX_RAM -> 0;
        };
    }

    /** Prints the reading and appends it to target/budgets.txt (the figures docs/operations.md cites). */
    public static void report(String line) {
        System.out.println(line);
        try {
            Files.writeString(Path.of("target/budgets.txt"), line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("(cannot append to target/budgets.txt: " + e.getMessage() + ")");
        }
    }

    /** VmHWM and VmRSS in bytes, -1 each when the process is gone. */
    private static long[] procStatus(long pid) {
        long[] out = {-1, -1};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmHWM:")) {
                    out[0] = Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
                } else if (line.startsWith("VmRSS:")) {
                    out[1] = Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** The value of {@code name} in a "name value" per line file; -1 when the kernel does not count it. */
    private static long field(String text, String name) {
        return text.lines().map(l -> l.split("\\s+")).filter(f -> f.length == 2 && f[0].equals(name))
                .mapToLong(f -> Long.parseLong(f[1])).findFirst().orElse(-1);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path p, Object value) throws IOException {
        Files.writeString(p, String.valueOf(value), StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        String back = Files.readString(p, StandardCharsets.UTF_8).trim();
        if (value instanceof Long l && Long.parseLong(back) != l) {
            throw new IOException(p + " reads " + back + " after writing " + value);
        }
    }

    private static void writeIfPresent(Path p, Object value) throws IOException {
        if (Files.isRegularFile(p)) {
            Files.writeString(p, String.valueOf(value), StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        }
    }

    /** Waits for the group to empty (its processes were closed before it), kills stragglers, removes it. */
    @Override
    public void close() {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        Path procs = dir.resolve("cgroup.procs");
        try {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> read(procs).isBlank());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            read(procs).lines().forEach(pid -> ProcessHandle.of(Long.parseLong(pid.trim()))
                    .ifPresent(ProcessHandle::destroyForcibly));
            await().atMost(Duration.ofSeconds(15)).until(() -> read(procs).isBlank());
        }
        try {
            Files.delete(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove cgroup " + dir + ": " + e.getMessage(), e);
        }
    }
}
