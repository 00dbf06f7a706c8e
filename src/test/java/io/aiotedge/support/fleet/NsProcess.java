package io.aiotedge.support.fleet;

import io.aiotedge.support.JvmEnv;
import io.aiotedge.support.MemoryCgroup;
import io.aiotedge.support.NodeProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started inside a network namespace ({@code ip netns exec NS java ...}; ip execs the
 * command, so the process is the JVM itself and {@link #kill} is a real kill -9 of it). The
 * command line is kept so {@link #restart} starts the same node again (its log is appended).
 */
public final class NsProcess implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Path log;
    private final Map<String, String> env;
    private volatile Process process;

    private NsProcess(String name, List<String> command, Path log, Map<String, String> env) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.env = Map.copyOf(env);
    }

    /** Starts {@code java <jvmArgs> <args>} in {@code net}'s namespace {@code node}; output to {@code log}. */
    public static NsProcess start(NetworkNamespaces net, String node, List<String> jvmArgs, List<String> args,
            Path log) throws IOException {
        List<String> cmd = new ArrayList<>(net.exec(node));
        cmd.addAll(NodeProcess.java());
        cmd.addAll(jvmArgs);
        cmd.addAll(args);
        NsProcess p = new NsProcess(node, cmd, log, Map.of());
        p.launch();
        return p;
    }

    /**
     * As {@link #start}, with a budget profile's shipped flags (deploy/jvm.env) and its
     * MALLOC_ARENA_MAX, inside {@code group} (a restart goes into the same group).
     */
    public static NsProcess start(NetworkNamespaces net, String node, JvmEnv.Profile profile, MemoryCgroup group,
            List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(net.exec(node));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(profile.flags());
        cmd.addAll(group.jvmFlags());
        cmd.addAll(args);
        NsProcess p = new NsProcess(node, group.wrap(cmd), log, Map.of("MALLOC_ARENA_MAX", profile.mallocArenaMax()));
        p.launch();
        return p;
    }

    private void launch() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        process = pb.start();
    }

    /** kill -9, then waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts the same command again after {@link #kill} or an exit. */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        launch();
    }

    public void stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    public long rssMiB() {
        return ProcStats.rssMiB(pid());
    }

    public double cpuSeconds() {
        return ProcStats.cpuSeconds(pid());
    }

    /** The last {@code chars} characters of the log, for failure messages. */
    public String logTail(int chars) {
        try {
            String s = Files.readString(log, StandardCharsets.UTF_8);
            return name + " log:\n" + s.substring(Math.max(0, s.length() - chars));
        } catch (IOException e) {
            return name + ": no log (" + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
