package io.aiotedge.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.support.NodeProcess;
import io.aiotedge.support.Proc;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image scripts/build-image.sh makes (linux/amd64 here; docs/deploy.md): its config
 * says what the manifests rely on (entrypoint = the launcher, non-root user, the data volume, the
 * ports, the tag), its layers carry this build's JAR, the launcher and deploy/jvm.env, and, as root,
 * it runs: no container runtime works on this machine kind (podman's crun and runc both fail on its
 * hybrid cgroups), so the test unpacks the layers and starts the config's entrypoint the way a
 * runtime would (own mount namespace with /proc and /dev, chroot, the config's user and env), and
 * awaits /health/ready.
 */
class ImageIT {
    static Path image;
    static JsonNode config;
    static Path unpacked;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void buildImage() throws Exception {
        for (String tool : List.of("mmdebstrap", "umoci", "skopeo")) {
            assumeTrue(Proc.available(tool), tool + " is not installed (apt-get install mmdebstrap umoci skopeo)");
        }
        String version = K8sManifestsTest.projectVersion();
        image = Path.of("target/image/aiot-edge-" + version + "-linux-amd64.tar");
        Path jar = NodeProcess.jar();
        if (!Files.exists(image) || Files.getLastModifiedTime(image).compareTo(Files.getLastModifiedTime(jar)) < 0) {
            Proc.Result r = Proc.run(300, List.of("bash", "scripts/build-image.sh", "--arch", "amd64", "--jar",
                    jar.toString(), "--out", "target/image"));
            assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        }
        unpacked = tmp.resolve("archive");
        Files.createDirectories(unpacked);
        tar("-xf", image.toString(), "-C", unpacked.toString());
        JsonNode manifest = Json.mapper().readTree(unpacked.resolve("manifest.json").toFile()).get(0);
        assertEquals("docker.io/library/aiot-edge:" + version, manifest.at("/RepoTags/0").asText());
        config = Json.mapper().readTree(unpacked.resolve(manifest.get("Config").asText()).toFile());
    }

    static List<String> layers() throws IOException {
        JsonNode manifest = Json.mapper().readTree(unpacked.resolve("manifest.json").toFile()).get(0);
        List<String> out = new ArrayList<>();
        manifest.get("Layers").forEach(l -> out.add(unpacked.resolve(l.asText()).toString()));
        return out;
    }

    static String tar(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tar"));
        cmd.addAll(List.of(args));
        Proc.Result r = Proc.run(120, cmd);
        assertEquals(0, r.exitCode(), cmd + ": " + r.stderr());
        return r.stdout();
    }

    @Test
    void theConfig_runsTheLauncherAsANonRootUser_withTheDataVolume() {
        assertEquals("amd64", config.get("architecture").asText());
        assertEquals("linux", config.get("os").asText());
        JsonNode c = config.get("config");
        assertEquals("10001:10001", c.get("User").asText());
        assertEquals("[\"/opt/aiot-edge/bin/aiot-edge\"]", c.get("Entrypoint").toString());
        assertEquals("[\"demo\"]", c.get("Cmd").toString());
        assertEquals(Set.of("/var/lib/aiot-edge"), names(c.get("Volumes")));
        assertEquals("/var/lib/aiot-edge", c.get("WorkingDir").asText());
        assertEquals(Set.of("1883/tcp", "8080/tcp", "8443/tcp", "8883/tcp"), names(c.get("ExposedPorts")));
        Set<String> env = new TreeSet<>();
        c.get("Env").forEach(e -> env.add(e.asText()));
        assertTrue(env.contains("AIOT_JVM_ENV=/etc/aiot-edge/jvm.env"), env.toString());
        assertTrue(env.contains("AIOT_JAR=/opt/aiot-edge/aiot-edge.jar"), env.toString());
        assertEquals("/health/ready", c.at("/Labels/io.aiotedge.health.ready").asText());
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void theAppLayer_holdsThisBuildsJar_theLauncher_andDeployJvmEnv() throws Exception {
        List<String> layers = layers();
        assertEquals(2, layers.size(), "the base (JRE) and the application");
        Path app = tmp.resolve("app");
        Files.createDirectories(app);
        tar("-xf", layers.get(1), "-C", app.toString());
        assertEquals(Files.size(NodeProcess.jar()), Files.size(app.resolve("opt/aiot-edge/aiot-edge.jar")));
        assertArrayEquals(Files.readAllBytes(Path.of("scripts/aiot-edge")),
                Files.readAllBytes(app.resolve("opt/aiot-edge/bin/aiot-edge")));
        assertTrue(Files.isExecutable(app.resolve("opt/aiot-edge/bin/aiot-edge")));
        assertArrayEquals(Files.readAllBytes(Path.of("deploy/jvm.env")),
                Files.readAllBytes(app.resolve("etc/aiot-edge/jvm.env")));
        String volume = tar("-tvf", layers.get(0), "--no-recursion", "./var/lib/aiot-edge/");
        assertTrue(volume.startsWith("drwx------ 10001/10001"), "the volume, owned by the image's user: " + volume);
        assertTrue(tar("-tvf", layers.get(0), "./bin/sh").contains("./bin/sh -> dash"), "the launcher's /bin/sh");
    }

    @Test
    void theImage_startedAsItsConfigSays_getsReady_andStopsOnSigterm() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Proc.available("unshare")
                && Proc.available("chroot"), "needs root, unshare and chroot to unpack and start the image");
        Path root = tmp.resolve("rootfs");
        Files.createDirectories(root);
        for (String layer : layers()) {
            tar("-xf", layer, "-C", root.toString());
        }
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("etc/hosts"), "");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--fork", "--kill-child=SIGTERM", "--",
                "sh", "-c", "mount -t proc proc \"$0/proc\" && mount --rbind /dev \"$0/dev\" && mount --bind "
                        + "/etc/hosts \"$0/etc/hosts\" && exec \"$@\"",
                root.toString(), "env", "-i"));
        config.at("/config/Env").forEach(e -> cmd.add(e.asText()));
        cmd.addAll(List.of("chroot", "--userspec=" + config.at("/config/User").asText(), root.toString()));
        config.at("/config/Entrypoint").forEach(e -> cmd.add(e.asText()));
        cmd.addAll(List.of("run", "--role", "things-gateway", "--data-dir", "/var/lib/aiot-edge/node", "--set",
                "http.port=" + port, "--set", "mqtt.port=0"));
        Path log = tmp.resolve("node.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<ProcessHandle> tree = new ArrayList<>();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build();
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                        .failFast("the node exited", () -> !p.isAlive())
                        .until(() -> http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            } catch (ConditionTimeoutException | TerminalFailureException e) {
                throw new AssertionError(e.getMessage() + ":\n" + Files.readString(log), e);
            }
            // /health/ready may answer before the start-up line reaches the log: await the line too
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(log).contains("Node ready: roles [things-gateway]"));
            String out = Files.readString(log);
            p.descendants().forEach(tree::add);
            ProcessHandle java = tree.stream().filter(h -> h.info().command().orElse("").endsWith("/java"))
                    .findFirst().orElseThrow(() -> new AssertionError("no java under " + cmd + ": " + out));
            String status = Files.readString(Path.of("/proc/" + java.pid() + "/status"));
            assertTrue(status.contains("\nUid:\t10001\t"), "runs as the image's user: " + status);
            List<String> args = java.info().arguments().map(List::of).orElse(List.of());
            for (String flag : K8sManifestsTest.jvmEnv().get("AIOT_JVM_THINGS_GATEWAY").split(" ")) {
                assertTrue(args.contains(flag), "deploy/jvm.env's things-gateway flags, read inside the image: "
                        + flag + " in " + args);
            }
        } finally {
            // unshare ignores SIGTERM while it waits for its child, so the signal goes to the JVM itself
            // (the launcher exec'd it), as a runtime's stop would
            p.descendants().forEach(tree::add);
            tree.forEach(ProcessHandle::destroy);
            for (ProcessHandle h : tree) {
                h.onExit().get(60, TimeUnit.SECONDS);
            }
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "unshare ends with its child");
        }
        assertTrue(Files.readString(log).contains("Stopped cleanly"), Files.readString(log));
    }
}
