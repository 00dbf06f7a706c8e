package io.aiotedge.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.certs.PlantCa;
import io.aiotedge.certs.SubjectNames;
import io.aiotedge.config.ConfigLoader;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "Plant CA and certificates" section of docs/security.md: every YAML block loads into a valid
 * config without unknown keys, against stores made by {@code certs} as the section makes them, and
 * switches on what the text says it does.
 */
class PlantCertsDocsTest {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    private static final String HASH = new PasswordHasher(new SecureRandom(), 10_000).hash("x".toCharArray());

    @TempDir
    Path certs;
    String password;

    @BeforeEach
    void makeTheSectionsFiles() throws Exception {
        PlantCa ca = new PlantCa(certs, Clock.systemUTC());
        ca.create("aiot plant CA", 2, null);
        ca.issueNode("plat1", new SubjectNames(List.of("10.0.0.5"), List.of("platform.plant.local")), 2, null);
        ca.issueNode("inf1", new SubjectNames(List.of("10.0.0.31"), List.of()), 2, null);
        password = Files.readString(certs.resolve("store-password"), StandardCharsets.UTF_8).strip();
    }

    private String env(String name) {
        if (name.equals("AIOT_STORE_PASSWORD")) {
            return password;
        }
        return name.endsWith("_HASH") ? HASH : "example-secret-" + name;
    }

    private List<NodeConfig> sectionConfigs() throws Exception {
        String doc = Files.readString(Path.of("docs/security.md"));
        int from = doc.indexOf("## Plant CA and certificates");
        assertTrue(from >= 0, "docs/security.md has the section");
        int to = doc.indexOf("\n## ", from + 1);
        Matcher m = YAML_BLOCK.matcher(doc.substring(from, to));
        List<NodeConfig> out = new ArrayList<>();
        while (m.find()) {
            Path f = Files.writeString(certs.resolve("example-" + out.size() + ".yaml"),
                    m.group(1).replace("/etc/aiot-edge/certs/", certs + "/"));
            ConfigLoader.Loaded loaded = new ConfigLoader(this::env).load(f, List.of());
            assertEquals(Set.of(), loaded.unknownKeys(), "unknown keys in:\n" + m.group(1));
            out.add(loaded.config());
        }
        return out;
    }

    @Test
    void everyYamlBlock_loadsAgainstCertsMadeFiles_andSwitchesOnTls() throws Exception {
        List<NodeConfig> c = sectionConfigs();
        assertEquals(4, c.size());
        NodeConfig platform = c.get(0);
        assertEquals(8883, platform.mqtt().tlsPort());
        assertEquals(certs.resolve("plat1.p12"), platform.http().keystorePath());
        assertTrue(platform.kafka().remote().enabled());
        assertEquals(1, platform.kafka().remote().users().size());

        TrustConfig trust = new TrustConfig(certs.resolve("truststore.p12"), password);
        NodeConfig inference = c.get(1);
        assertTrue(inference.inference().tls());
        assertEquals(trust, inference.inference().trust());
        assertEquals(certs.resolve("truststore.p12").toString(),
                inference.kafka().client().get("ssl.truststore.location"));
        assertEquals(password, inference.kafka().client().get("ssl.truststore.password"));

        NodeConfig mtls = c.get(2);
        assertEquals(certs.resolve("inf1.p12").toString(), mtls.kafka().client().get("ssl.keystore.location"));
        assertEquals(certs.resolve("truststore.p12").toString(), mtls.kafka().client().get("ssl.truststore.location"));

        NodeConfig gateway = c.get(3);
        assertTrue(gateway.gateway().tls());
        assertEquals(trust, gateway.gateway().trust());
    }
}
