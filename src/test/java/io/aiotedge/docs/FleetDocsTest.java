package io.aiotedge.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.certs.PlantCa;
import io.aiotedge.certs.SubjectNames;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.InferenceConfig;
import io.aiotedge.config.KafkaConfig;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.config.TrustConfig;
import io.aiotedge.core.auth.PasswordHasher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/fleet.md: the config of each board loads without problems or unknown keys against
 * certificates made by {@code certs}, and says what the page says it does (TLS to the platform,
 * SASL_SSL to the cluster, the plant CA trusted, RF 3).
 */
class FleetDocsTest {
    private static final String HASH = new PasswordHasher(new SecureRandom(), 10_000).hash("x".toCharArray());

    @TempDir
    Path certs;
    String password;

    private String env(String name) {
        if (name.equals("AIOT_STORE_PASSWORD")) {
            return password;
        }
        return name.endsWith("_HASH") ? HASH : "example-secret-" + name;
    }

    private List<NodeConfig> boards() throws Exception {
        PlantCa ca = new PlantCa(certs, Clock.systemUTC());
        ca.create("aiot plant CA", 2, null);
        ca.issueNode("plat1", new SubjectNames(List.of("10.0.0.5"), List.of()), 2, null);
        password = Files.readString(certs.resolve("store-password"), StandardCharsets.UTF_8).strip();
        List<NodeConfig> out = new ArrayList<>();
        for (String yaml : DocsExamplesTest.blocks("docs/fleet.md", "yaml")) {
            Path f = Files.writeString(certs.resolve("board-" + out.size() + ".yaml"),
                    yaml.replace("/etc/aiot-edge/certs/", certs + "/"));
            ConfigLoader.Loaded loaded = new ConfigLoader(this::env).load(f, List.of());
            assertEquals(Set.of(), loaded.unknownKeys(), "unknown keys in:\n" + yaml);
            out.add(loaded.config());
        }
        return out;
    }

    @Test
    void everyBoardsConfig_loads_andLinksTheBoardsWithTlsAndCredentials() throws Exception {
        List<NodeConfig> b = boards();
        assertEquals(3, b.size(), "platform, gateway, inference");
        TrustConfig trust = new TrustConfig(certs.resolve("truststore.p12"), password);

        NodeConfig platform = b.get(0);
        assertEquals(8883, platform.mqtt().tlsPort());
        assertEquals(certs.resolve("plat1.p12"), platform.http().keystorePath());
        assertEquals(3, platform.mqtt().users().size());
        assertSaslSslToTheCluster(platform.kafka());
        assertEquals(3, platform.kafka().replicationFactor());

        NodeConfig gateway = b.get(1);
        assertEquals("10.0.0.5", gateway.gateway().host());
        assertEquals(8883, gateway.gateway().port());
        assertTrue(gateway.gateway().tls() && gateway.simulator().tls());
        assertEquals(trust, gateway.gateway().trust());
        assertEquals(KafkaConfig.Mode.OFF, gateway.kafka().mode());

        NodeConfig inference = b.get(2);
        assertEquals(InferenceConfig.Source.KAFKA, inference.inference().source());
        assertEquals("https://10.0.0.5:8443", inference.inference().platformUrl());
        assertEquals(trust, inference.inference().trust());
        assertSaslSslToTheCluster(inference.kafka());
        assertEquals(certs.resolve("truststore.p12").toString(),
                inference.kafka().client().get("ssl.truststore.location"));
    }

    private static void assertSaslSslToTheCluster(KafkaConfig k) {
        assertEquals(KafkaConfig.Mode.EXTERNAL, k.mode());
        assertEquals("10.0.0.21:9092,10.0.0.22:9092,10.0.0.23:9092", k.bootstrapServers());
        assertEquals("SASL_SSL", k.client().get("security.protocol"));
        assertEquals("SCRAM-SHA-512", k.client().get("sasl.mechanism"));
    }
}
