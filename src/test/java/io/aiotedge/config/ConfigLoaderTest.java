package io.aiotedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.core.ConfigException;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.core.auth.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Map.of("MQTT_PORT", "2883", "GW_HASH", hash())::get);

    private static String hash() {
        return new PasswordHasher(new SecureRandom(), 10_000).hash("pw".toCharArray());
    }

    @Test
    void load_builtInDefaults_areValid() {
        NodeConfig c = loader.load(null, List.of()).config();
        assertEquals(1883, c.mqtt().port());
        assertEquals(false, c.mqtt().allowAnonymous());
        assertEquals(8080, c.http().port());
        assertEquals(KafkaConfig.Mode.EMBEDDED, c.kafka().mode());
        assertNull(c.mqtt().tlsPort());
        assertEquals(4, c.mqtt().acl().size()); // device, service, legacy-device, admin
    }

    @Test
    void load_fileThenSet_laterSourcesWin() throws IOException {
        Path f = yaml("mqtt:\n  port: 1999\nhttp:\n  port: 9000\n");
        NodeConfig c = loader.load(f, List.of("http.port=0", "mqtt.allowAnonymous=true")).config();
        assertEquals(1999, c.mqtt().port());
        assertEquals(0, c.http().port());
        assertTrue(c.mqtt().allowAnonymous());
    }

    @Test
    void load_envPlaceholder_isResolved() throws IOException {
        Path f = yaml(
                "mqtt:\n  port: 1883\n  users:\n    - {username: gw, passwordHash: \"${ENV:GW_HASH}\", role: service}\n");
        NodeConfig c = loader.load(f, List.of()).config();
        assertEquals(Role.SERVICE, c.mqtt().users().get(0).role());
        assertTrue(PasswordHasher.verify("pw".toCharArray(), c.mqtt().users().get(0).passwordHash()));
    }

    @Test
    void load_missingEnvVariable_namesKeyAndVariable() throws IOException {
        Path f = yaml("kafka:\n  bootstrapServers: \"${ENV:NOPE}:9092\"\n");
        assertProblem(f, List.of(), "kafka.bootstrapServers: environment variable NOPE is not set");
    }

    @Test
    void load_wrongType_namesKey() {
        assertProblem(null, List.of("mqtt.port=abc"), "mqtt.port: must be a whole number");
    }

    @Test
    void load_outOfRange_namesKey() {
        assertProblem(null, List.of("http.port=70000"), "http.port: must be between 0 and 65535, got 70000");
    }

    @Test
    void load_publicOrigin_isNormalised_andOneWithAPathQueryUserOrOtherScheme_namesTheKey() {
        assertEquals("https://edge.plant.local:8443", loader.load(null,
                List.of("api.publicOrigin=HTTPS://Edge.Plant.Local:8443/")).config().platform().publicOrigin());
        assertEquals("https://edge.plant.local", loader.load(null,
                List.of("api.publicOrigin=https://edge.plant.local:443")).config().platform().publicOrigin());
        assertEquals("", loader.load(null, List.of()).config().platform().publicOrigin());
        for (String bad : new String[] {"https://edge.plant.local/console", "https://edge.plant.local?x=1",
                "ftp://edge.plant.local", "edge.plant.local:8443", "https://user@edge.plant.local",
                "https://edge.plant.local:0", "https://edge.plant.local#top", "https:// spaced"}) {
            assertProblem(null, List.of("api.publicOrigin=\"" + bad + "\""), "api.publicOrigin: must be an origin");
        }
    }

    @Test
    void load_badEnum_listsAllowedValues() {
        assertProblem(null, List.of("kafka.mode=sometimes"), "kafka.mode: must be one of [embedded, external, off]");
    }

    @Test
    void load_kafkaModeOff_isAcceptedThoughYamlReadsOffAsBoolean() throws IOException {
        assertEquals(KafkaConfig.Mode.OFF, loader.load(null, List.of("kafka.mode=off")).config().kafka().mode());
        assertEquals(KafkaConfig.Mode.OFF,
                loader.load(yaml("kafka:\n  mode: off\n"), List.of()).config().kafka().mode());
    }

    @Test
    void load_yaml11BooleanWords_stayStrings() throws IOException {
        Path f = yaml("mqtt:\n  users:\n    - {username: no, passwordHash: \"${ENV:GW_HASH}\", role: device}\n");
        assertEquals("no", loader.load(f, List.of()).config().mqtt().users().get(0).username());
        assertProblem(null, List.of("mqtt.allowAnonymous=yes"),
                "mqtt.allowAnonymous: must be true or false, got 'yes'");
    }

    @Test
    void load_badBoolean_namesKey() {
        assertProblem(null, List.of("mqtt.allowAnonymous=maybe"), "mqtt.allowAnonymous: must be true or false");
    }

    @Test
    void load_externalKafkaWithoutServers_isCrossFieldError() {
        assertProblem(null, List.of("kafka.mode=external"),
                "kafka.bootstrapServers: is required when kafka.mode is external");
    }

    @Test
    void load_malformedBootstrapServers_namesKey() {
        assertProblem(null, List.of("kafka.bootstrapServers=nohostport"), "kafka.bootstrapServers: must be host:port");
    }

    @Test
    void load_embeddedKafkaWithReplication_isRefused() {
        assertProblem(null, List.of("kafka.replicationFactor=3"),
                "kafka.replicationFactor: must be 1 for the embedded single-node broker, got 3");
    }

    @Test
    void load_kafkaClientProperties_fromYamlOrSet_flattenWithDots() throws IOException {
        Path f = yaml("kafka:\n  client:\n    security.protocol: SSL\n    ssl:\n      truststore.type: PKCS12\n");
        KafkaConfig k = loader.load(f, List.of("kafka.client.sasl.mechanism=PLAIN")).config().kafka();
        assertEquals(Map.of("security.protocol", "SSL", "ssl.truststore.type", "PKCS12", "sasl.mechanism", "PLAIN"),
                k.client());
    }

    @Test
    void load_kafkaClientNotAMapping_namesKey() {
        assertProblem(null, List.of("kafka.client=[a]"), "kafka.client: must be a mapping of keys");
    }

    @Test
    void effective_redactsKafkaJaasConfig() {
        Map<String, String> eff = loader.load(null, List.of("kafka.client.sasl.jaas.config=secret-stuff")).effective();
        assertEquals("******", eff.get("kafka.client.sasl.jaas.config"));
    }

    @Test
    void load_tlsPortWithoutKeystore_namesKeystoreKey() {
        assertProblem(null, List.of("mqtt.tlsPort=8883"),
                "mqtt.tls.keystorePath: is required when mqtt.tlsPort is set");
    }

    @Test
    void load_missingKeystoreFile_namesKey() {
        assertProblem(null, List.of("mqtt.tlsPort=8883", "mqtt.tls.keystorePath=/no/such.p12"),
                "mqtt.tls.keystorePath: no such file");
    }

    @Test
    void load_plainTextPasswordInsteadOfHash_namesUserKey() throws IOException {
        Path f = yaml("mqtt:\n  users:\n    - {username: gw, passwordHash: secret, role: service}\n");
        assertProblem(f, List.of(), "mqtt.users[0].passwordHash: is not a hash");
    }

    @Test
    void load_usernameWithWildcard_isRefused() throws IOException {
        Path f = yaml("mqtt:\n  users:\n    - {username: \"a/#\", passwordHash: \"${ENV:GW_HASH}\", role: device}\n");
        assertProblem(f, List.of(), "mqtt.users[0].username: must not contain");
    }

    @Test
    void load_duplicateUser_isRefused() throws IOException {
        Path f = yaml("mqtt:\n  users:\n    - {username: a, passwordHash: \"${ENV:GW_HASH}\", role: device}\n"
                + "    - {username: a, passwordHash: \"${ENV:GW_HASH}\", role: admin}\n");
        assertProblem(f, List.of(), "mqtt.users: username 'a' is listed twice");
    }

    @Test
    void load_unknownRole_namesKey() throws IOException {
        Path f = yaml("mqtt:\n  users:\n    - {username: a, passwordHash: \"${ENV:GW_HASH}\", role: root}\n");
        assertProblem(f, List.of(),
                "mqtt.users[0].role: must be one of [device, legacy-device, service, admin], got 'root'");
    }

    @Test
    void load_invalidAclFilter_namesKey() throws IOException {
        Path f = yaml("mqtt:\n  acl:\n    - {role: device, publish: [\"a/#/b\"]}\n");
        assertProblem(f, List.of(), "mqtt.acl[0].publish[0]: '#' must be the last level");
    }

    @Test
    void load_invalidYaml_namesFile() throws IOException {
        Path f = yaml("mqtt: [unclosed\n");
        assertProblem(f, List.of(), f.toString() + ": not valid YAML");
    }

    @Test
    void load_topLevelNotMapping_namesFile() throws IOException {
        Path f = yaml("- a\n- b\n");
        assertProblem(f, List.of(), "the top level must be a mapping");
    }

    @Test
    void load_missingFile_isProblem() {
        assertProblem(dir.resolve("nope.yaml"), List.of(), "--config: no such file");
    }

    @Test
    void load_setWithoutEquals_isProblem() {
        assertProblem(null, List.of("mqtt.port"), "--set mqtt.port: expected key=value");
    }

    @Test
    void load_severalProblems_areAllReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load(null, List.of("mqtt.port=-1", "http.port=x", "kafka.mode=bad")));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith("Invalid configuration (3 problems)"), e.getMessage());
    }

    @Test
    void load_badTrainerAndHiddenLayersAndInferenceSource_areNamedByKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(null, List.of(
                "pipeline.trainer=svm", "pipeline.hiddenLayers=[50, 0, many]", "inference.source=carrier-pigeon",
                "inference.statsWindowSeconds=0")));
        assertEquals(5, e.problems().size(), e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("pipeline.trainer")), e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("pipeline.hiddenLayers") && p.contains("'0'")),
                e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("pipeline.hiddenLayers") && p.contains("'many'")),
                e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("inference.source")), e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("inference.statsWindowSeconds")), e.getMessage());
        NodeConfig ok = loader.load(null, List.of("pipeline.trainer=mlp", "pipeline.hiddenLayers=[8]")).config();
        assertEquals(List.of(8), ok.pipeline().hiddenLayers());
    }

    @Test
    void load_unknownKey_isReportedNotFatal() {
        ConfigLoader.Loaded l = loader.load(null, List.of("mqtt.prot=1884", "nosuch.key=1"));
        assertEquals(java.util.Set.of("mqtt.prot", "nosuch.key"), l.unknownKeys());
    }

    @Test
    void load_unknownKeyInsideListElement_isReported() throws IOException {
        Path f = yaml(
                "mqtt:\n  users:\n    - {username: a, passwordHash: \"${ENV:GW_HASH}\", role: device, pasword: x}\n");
        assertEquals(java.util.Set.of("mqtt.users[0].pasword"), loader.load(f, List.of()).unknownKeys());
    }

    @Test
    void effective_redactsSecrets() throws IOException {
        Path f = yaml("mqtt:\n  users:\n    - {username: gw, passwordHash: \"${ENV:GW_HASH}\", role: service}\n"
                + "  tls:\n    keystorePassword: hunter2\n");
        Map<String, String> eff = loader.load(f, List.of()).effective();
        assertEquals("******", eff.get("mqtt.users[0].passwordHash"));
        assertEquals("******", eff.get("mqtt.tls.keystorePassword"));
        assertEquals("gw", eff.get("mqtt.users[0].username"));
        assertTrue(eff.values().stream().noneMatch(v -> v.contains("hunter2") || v.startsWith("pbkdf2")));
    }

    @Test
    void set_valueIsReadAsYaml() {
        NodeConfig c = loader.load(null, List.of("mqtt.port=${ENV:MQTT_PORT}", "dataDir=/var/lib/x")).config();
        assertEquals(2883, c.mqtt().port(), "env placeholders are resolved after --set, numbers stay numbers");
        assertEquals(Path.of("/var/lib/x"), c.dataDir());
    }

    private void assertProblem(Path file, List<String> overrides, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, overrides));
        assertTrue(e.problems().stream().anyMatch(p -> p.contains(expected)),
                "expected a problem containing '" + expected + "' in:\n" + e.getMessage());
    }

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("c" + System.nanoTime() + ".yaml");
        Files.writeString(f, text);
        return f;
    }
}
