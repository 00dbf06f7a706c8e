package io.aiotedge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.NodeProcess;
import io.aiotedge.support.Proc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, finding 11, against the real JAR started by hand with umask 000 (the most permissive
 * a shell can have; no systemd UMask): the data dir and the directories below it are 0700, the
 * files the node writes 0600, config.xml holds no keystore password, and the CLI takes its token
 * from the environment or standard input.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OnDiskSecretsIT {
    static final String PASSWORD = "Ks-s3cret&<pw>";

    @TempDir
    static Path dir;
    static Path data;
    static NodeProcess node;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("broker.p12");
        Proc.Result r = Proc.run(60, List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-keypass", PASSWORD));
        assertEquals(0, r.exitCode(), r.stderr());
        data = dir.resolve("node");
        node = NodeProcess.startWithUmask("000", data, List.of("-Xmx512m"), "run", "--role", "platform",
                "--data-dir", data.toString(), "--set", "mqtt.port=0", "--set", "http.port=0", "--set", "kafka.port=0",
                "--set", "kafka.bindAddress=127.0.0.1", "--set", "kafka.advertisedHost=127.0.0.1",
                "--set", "mqtt.bindAddress=127.0.0.1", "--set", "http.bindAddress=127.0.0.1",
                "--set", "mqtt.tlsPort=0", "--set", "mqtt.tls.keystorePath=" + keystore,
                "--set", "mqtt.tls.keystorePassword=" + PASSWORD, "--set", "mqtt.tls.privateKeyPassword=" + PASSWORD,
                "--set", BrokerFixture.usersOverride());
        node.awaitRuntime(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            assertEquals(0, node.terminate(Duration.ofSeconds(30)));
        }
    }

    @Test
    void nodeStartedWithUmask000_dataDirAndItsDirsAre0700_filesItWritesAre0600() throws Exception {
        assertEquals("rwx------", mode(data));
        for (String d : List.of("keys", "platform", "bridge/spool", "broker/conf", "broker/data", "kafka/log")) {
            assertTrue(Files.isDirectory(data.resolve(d)), d + " exists");
            assertEquals("rwx------", mode(data.resolve(d)), d);
        }
        for (String f : List.of("runtime.json", "keys/admin-token", "keys/model-signing.key", "keys/model-signing.pub",
                "platform/aiot.mv.db", "broker/conf/config.xml")) {
            assertEquals("rw-------", mode(data.resolve(f)), f);
        }
        // nothing below the data dir is reachable by others: every directory is owner-only
        try (Stream<Path> all = Files.walk(data.resolve("platform"))) {
            List<String> open = new ArrayList<>();
            all.filter(Files::isDirectory).filter(p -> !"rwx------".equals(mode(p)))
                    .forEach(p -> open.add(p.toString()));
            assertEquals(List.of(), open);
        }
    }

    @Test
    void tlsListener_configXmlOnDisk_holdsNoKeystorePassword() throws Exception {
        assertTrue(node.port("mqttTls") > 0, "the TLS listener started with the password from the placeholder");
        String xml = Files.readString(data.resolve("broker/conf/config.xml"));
        assertTrue(xml.contains("<tls-tcp-listener>"), xml);
        assertFalse(xml.contains("s3cret"), "no keystore password in config.xml:\n" + xml);
    }

    @Test
    void cliToken_fromAiotTokenEnvOrStdin_isUsed_andAnArgumentWarns() throws Exception {
        String token = Files.readString(data.resolve("keys/admin-token")).trim();
        String url = "http://127.0.0.1:" + node.port("http");
        // a data dir without keys/admin-token: the token can only come from where we put it
        Path elsewhere = Files.createDirectories(dir.resolve("cli"));
        Proc.Result env = cli(Map.of("AIOT_TOKEN", token), null, "devices", "list", "--url", url,
                "--data-dir", elsewhere.toString());
        assertEquals(0, env.exitCode(), env.stderr());
        assertFalse(env.stderr().contains("warning"), env.stderr());
        Proc.Result stdin = cli(Map.of(), token + "\n", "devices", "list", "--url", url, "--token", "-",
                "--data-dir", elsewhere.toString());
        assertEquals(0, stdin.exitCode(), stdin.stderr());
        Proc.Result none = cli(Map.of(), null, "devices", "list", "--url", url, "--data-dir", elsewhere.toString());
        assertEquals(1, none.exitCode(), "without a token the API refuses: " + none.stderr());
        Proc.Result arg = cli(Map.of(), null, "devices", "list", "--url", url, "--token", token,
                "--data-dir", elsewhere.toString());
        assertEquals(0, arg.exitCode(), arg.stderr());
        assertTrue(arg.stderr().contains("ps"), "--token VALUE warns: " + arg.stderr());
    }

    private static Proc.Result cli(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> cmd = NodeProcess.java();
        cmd.addAll(List.of("-jar", NodeProcess.jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("AIOT_TOKEN");
        pb.environment().remove("AIOT_ADMIN_TOKEN");
        pb.environment().putAll(env);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        var out = p.getInputStream();
        var err = p.getErrorStream();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish");
        }
        return new Proc.Result(p.exitValue(), new String(out.readAllBytes(), StandardCharsets.UTF_8),
                new String(err.readAllBytes(), StandardCharsets.UTF_8));
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
