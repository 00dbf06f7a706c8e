package io.aiotedge.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar target/aiot-edge.jar ...} as a child process, as an operator or systemd runs
 * it. Output goes to a log file next to the data dir. Used by the *IT tests (after package).
 */
public final class NodeProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    private final Path dataDir;

    private NodeProcess(Process process, Path log, Path dataDir) {
        this.process = process;
        this.log = log;
        this.dataDir = dataDir;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("aiot.jar", "target/aiot-edge.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No " + jar + ": run the *IT tests with 'mvn verify' (after package)");
        }
        return jar;
    }

    /**
     * The command that starts a JVM of the JAR: {@code java}, and when the build wrote the JAR's
     * class-data-sharing archive ({@code aiot.cds}, scripts/cds-archive.sh) after the JAR, the flags
     * that map it (JVM log lines about it off, so no archive problem reaches a command's output).
     * Only test JVMs use it: the starts under a budget profile ({@link #start(Path, JvmEnv.Profile,
     * MemoryCgroup, List, String...)}, FleetIT's nodes) run as shipped, so their memory is what a board sees.
     */
    public static List<String> java() {
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        String extra = System.getProperty("aiot.childJvm", "");
        if (!extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        String archive = System.getProperty("aiot.cds");
        if (archive != null) {
            try {
                Path a = Path.of(archive);
                if (Files.isRegularFile(a)
                        && Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(jar())) > 0) {
                    cmd.addAll(List.of("-XX:SharedArchiveFile=" + a, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
                }
            } catch (IOException e) {
                // no archive to use: the JVM parses its classes itself
            }
        }
        return cmd;
    }

    /** Starts {@code java <jvmArgs> -jar aiot-edge.jar <args>}; {@code dataDir} receives the log beside it. */
    public static NodeProcess start(Path dataDir, List<String> jvmArgs, String... args) throws IOException {
        List<String> cmd = java();
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(List.of(args));
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new NodeProcess(p, log, dataDir);
    }

    /**
     * As {@link #start}, with a budget profile's shipped flags from deploy/jvm.env (and its
     * MALLOC_ARENA_MAX) inside {@code group}, the JVM in the group from its first instruction.
     * {@code extraJvm} comes last, as AIOT_JAVA_OPTS does in the launcher.
     */
    public static NodeProcess start(Path dataDir, JvmEnv.Profile profile, MemoryCgroup group, List<String> extraJvm,
            String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        cmd.addAll(profile.flags());
        cmd.addAll(group.jvmFlags());
        cmd.addAll(extraJvm);
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(List.of(args));
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(group.wrap(cmd)).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MALLOC_ARENA_MAX", profile.mallocArenaMax());
        return new NodeProcess(pb.start(), log, dataDir);
    }

    /** As {@link #start}, under {@code sh -c 'umask U; exec java ...'}: a node started by hand with that umask. */
    public static NodeProcess startWithUmask(String umask, Path dataDir, List<String> jvmArgs, String... args)
            throws IOException {
        StringBuilder cmd = new StringBuilder("umask " + umask + " && exec");
        List<String> words = java();
        words.addAll(jvmArgs);
        words.addAll(List.of("-jar", jar().toString()));
        words.addAll(List.of(args));
        for (String w : words) {
            cmd.append(" '").append(w.replace("'", "'\\''")).append('\'');
        }
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        Process p = new ProcessBuilder("sh", "-c", cmd.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new NodeProcess(p, log, dataDir);
    }

    /** Runs a short command to completion and returns its exit code and output. */
    public static Proc.Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = java();
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return Proc.run(timeoutSeconds, cmd);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Waits for this process's runtime.json and returns it (one a killed predecessor left behind
     * names another pid and is not taken).
     */
    public JsonNode awaitRuntime(Duration timeout) {
        Path f = dataDir.resolve("runtime.json");
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("node exited with " + process.exitValue() + ":\n" + log());
            }
            JsonNode info = readRuntime(f);
            return info != null && info.path("pid").asLong() == process.pid();
        });
        return readRuntime(f);
    }

    private static JsonNode readRuntime(Path f) {
        try {
            return Files.exists(f) ? new ObjectMapper().readTree(f.toFile()) : null;
        } catch (IOException e) {
            return null; // replaced while read
        }
    }

    public int port(String name) {
        return awaitRuntime(Duration.ofSeconds(60)).path("ports").path(name).asInt(-1);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port("http") + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends SIGTERM and waits for the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node did not exit within " + timeout + " after SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    public void kill() {
        process.destroyForcibly();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
