package io.aiotedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.certs.PlantCa;
import io.aiotedge.certs.SubjectNames;
import io.aiotedge.core.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tls.trustStore}: opened at load, one bad value per test, and handed to every client kind. */
class TrustConfigTest {
    @TempDir
    Path dir;
    Path store;
    String password;

    @BeforeEach
    void plantCa() throws Exception {
        PlantCa ca = new PlantCa(dir, Clock.systemUTC());
        ca.create("test CA", 2, null);
        ca.issueNode("n1", new SubjectNames(List.of("127.0.0.1"), List.of()), 2, null);
        store = dir.resolve("truststore.p12");
        password = Files.readString(dir.resolve("store-password"), StandardCharsets.UTF_8).strip();
    }

    private static NodeConfig load(String... sets) {
        return new ConfigLoader(k -> null).load(null, List.of(sets)).config();
    }

    private static String problem(String... sets) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(sets));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    @Test
    void unset_isTheJvmTrustStoreForEveryClient() {
        NodeConfig c = load();
        assertSame(TrustConfig.JVM, c.tls());
        assertFalse(c.tls().custom());
        assertSame(TrustConfig.JVM, c.gateway().trust());
        assertSame(TrustConfig.JVM, c.simulator().trust());
        assertSame(TrustConfig.JVM, c.inference().trust());
    }

    @Test
    void set_reachesTheGatewaySimulatorAndInference() {
        NodeConfig c = load("tls.trustStore=" + store, "tls.trustStorePassword=" + password);
        TrustConfig expected = new TrustConfig(store, password);
        assertEquals(expected, c.tls());
        assertEquals(List.of(expected, expected, expected),
                List.of(c.gateway().trust(), c.simulator().trust(), c.inference().trust()));
        assertEquals(expected, c.gateway().withCredentials("u", "p").trust());
        assertFalse(c.tls().toString().contains(password));
    }

    @Test
    void missingFile_failsNamingTheKey() {
        Path none = dir.resolve("nope.p12");
        assertEquals("tls.trustStore: cannot read " + none, problem("tls.trustStore=" + none));
    }

    @Test
    void wrongPassword_failsNamingThePasswordKey() {
        String p = problem("tls.trustStore=" + store, "tls.trustStorePassword=wrong-password");
        assertTrue(p.startsWith("tls.trustStorePassword: cannot open " + store + " with it"), p);
    }

    @Test
    void notAKeyStore_failsNamingTheKey() throws Exception {
        Path pem = dir.resolve("ca.pem");
        String p = problem("tls.trustStore=" + pem, "tls.trustStorePassword=" + password);
        assertTrue(p.startsWith("tls.trustStore: " + pem + " is not a PKCS#12 or JKS store"), p);
    }

    @Test
    void keyStoreWithoutTrustedEntry_failsNamingTheKey() {
        Path keys = dir.resolve("n1.p12");
        assertEquals("tls.trustStore: " + keys + " holds no trusted certificate entry (use the truststore.p12 of "
                + "'aiot-edge certs ca', not a key store)",
                problem("tls.trustStore=" + keys, "tls.trustStorePassword=" + password));
    }

    @Test
    void password_isRedactedInTheEffectiveConfig() {
        Map<String, String> effective = new ConfigLoader(k -> null).load(null,
                List.of("tls.trustStore=" + store, "tls.trustStorePassword=" + password)).effective();
        assertEquals("******", effective.get("tls.trustStorePassword"));
        assertEquals(store.toString(), effective.get("tls.trustStore"));
    }

    @Test
    void kafkaClient_saslSsl_getsTheTrustStore() {
        NodeConfig c = load("tls.trustStore=" + store, "tls.trustStorePassword=" + password,
                "kafka.client={security.protocol: SASL_SSL, sasl.mechanism: SCRAM-SHA-512}");
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", store.toString(), "ssl.truststore.password", password,
                "ssl.truststore.type", "PKCS12"), c.kafka().client());
    }

    @Test
    void kafkaClient_ssl_getsTheTrustStore() {
        NodeConfig c = load("tls.trustStore=" + store, "tls.trustStorePassword=" + password,
                "kafka.client={security.protocol: ssl}");
        assertEquals(store.toString(), c.kafka().client().get("ssl.truststore.location"));
    }

    @Test
    void kafkaClient_ownTrustStoreOrPlaintextOrNoTrust_isLeftAsConfigured() {
        List<Map<String, String>> clients = new ArrayList<>();
        clients.add(load("tls.trustStore=" + store, "tls.trustStorePassword=" + password,
                "kafka.client={security.protocol: SASL_SSL, ssl.truststore.type: PEM, ssl.truststore.certificates: x}")
                .kafka().client());
        clients.add(load("tls.trustStore=" + store, "tls.trustStorePassword=" + password,
                "kafka.client={security.protocol: SASL_PLAINTEXT}").kafka().client());
        clients.add(load("tls.trustStore=" + store, "tls.trustStorePassword=" + password).kafka().client());
        clients.add(load("kafka.client={security.protocol: SASL_SSL}").kafka().client());
        assertEquals(List.of(
                Map.of("security.protocol", "SASL_SSL", "ssl.truststore.type", "PEM", "ssl.truststore.certificates",
                        "x"),
                Map.of("security.protocol", "SASL_PLAINTEXT"), Map.of(), Map.of("security.protocol", "SASL_SSL")),
                clients);
    }
}
