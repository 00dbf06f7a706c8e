package io.aiotedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.core.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker's listeners: plaintext on loopback only, the remote one authenticated. */
class KafkaConfigTest {
    private static final String USER = "kafka.remote.users=[{name: infer-1, password: infer-1-password, kind: inference}]";
    private final ConfigLoader loader = new ConfigLoader(k -> null);

    @TempDir
    Path dir;

    private KafkaConfig load(String... sets) {
        return loader.load(null, List.of(sets)).config().kafka();
    }

    private String problems(String... sets) {
        return assertThrows(ConfigException.class, () -> load(sets)).getMessage();
    }

    private String[] remote(String... more) throws Exception {
        Path ks = Files.createFile(dir.resolve("ks-" + System.nanoTime() + ".p12"));
        List<String> all = new ArrayList<>(List.of("kafka.remote.port=9093", "kafka.remote.keystorePath=" + ks,
                "kafka.remote.keystorePassword=changeit"));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void defaults_plaintextOnLoopback_noRemoteListener() {
        KafkaConfig k = load();
        assertEquals("127.0.0.1", k.bindAddress());
        assertFalse(k.remote().enabled());
    }

    @Test
    void bindAddress_anyInterface_isRefusedNamingTheKey() {
        String msg = problems("kafka.bindAddress=0.0.0.0");
        assertTrue(msg.contains("kafka.bindAddress: must be a loopback address"), msg);
        assertTrue(problems("kafka.bindAddress=192.168.1.20").contains("kafka.bindAddress:"));
        assertTrue(problems("kafka.bindAddress=edge-1.plant").contains("kafka.bindAddress:"));
    }

    @Test
    void bindAddress_loopbackForms_areAccepted() {
        for (String a : List.of("127.0.0.1", "127.0.1.1", "::1", "[::1]", "localhost")) {
            assertEquals(a, load("kafka.bindAddress=\"" + a + "\"").bindAddress());
        }
        assertEquals("0.0.0.0", load("kafka.mode=external", "kafka.bootstrapServers=k:9092",
                "kafka.bindAddress=0.0.0.0").bindAddress(), "not a listener of ours when external");
    }

    @Test
    void remote_withoutKeystoreOrUsers_isRefusedNamingTheKeys() {
        String msg = problems("kafka.remote.port=9093");
        assertTrue(msg.contains("kafka.remote.keystorePath: is required"), msg);
        assertTrue(msg.contains("kafka.remote.keystorePassword: is required"), msg);
        assertTrue(msg.contains("kafka.remote.users: must list at least one user"), msg);
    }

    @Test
    void remote_withMissingKeystoreFile_isRefused() {
        String msg = problems("kafka.remote.port=9093", "kafka.remote.keystorePath=/nonexistent/k.p12",
                "kafka.remote.keystorePassword=x", USER);
        assertTrue(msg.contains("kafka.remote.keystorePath: no such file"), msg);
    }

    @Test
    void remote_badUsers_areAllReported() throws Exception {
        String msg = problems(remote("kafka.remote.users=[{name: ANONYMOUS, password: long-enough-password, "
                + "kind: admin}, {name: \"a b\", password: short, kind: root}]"));
        assertTrue(msg.contains("kafka.remote.users[0].name: must not be ANONYMOUS"), msg);
        assertTrue(msg.contains("kafka.remote.users[1].name: must be 1-64 of"), msg);
        assertTrue(msg.contains("kafka.remote.users[1].password: must be at least 12 characters"), msg);
        assertTrue(msg.contains("kafka.remote.users[1].kind: must be one of [inference, gateway, admin]"), msg);
    }

    @Test
    void remote_complete_isEnabledWithItsUsers() throws Exception {
        KafkaConfig k = load(remote(USER));
        assertTrue(k.remote().enabled());
        assertEquals(List.of(new KafkaRemote.User("infer-1", "infer-1-password", KafkaRemote.Kind.INFERENCE)),
                k.remote().users());
        assertFalse(k.remote().toString().contains("infer-1-password"), "no password in toString");
    }

    @Test
    void remote_withExternalKafka_isRefused() throws Exception {
        List<String> sets = new ArrayList<>(List.of(remote(USER)));
        sets.addAll(List.of("kafka.mode=external", "kafka.bootstrapServers=k:9092"));
        assertTrue(problems(sets.toArray(String[]::new)).contains("kafka.remote.port: needs kafka.mode embedded"));
    }
}
