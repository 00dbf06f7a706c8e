package io.aiotedge.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.core.Listener;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.runtime.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documents under docs/ and config/ are parsed here, so they cannot drift from the code. */
public class DocsExamplesTest {
    private static final Pattern FENCE = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);
    private static final String HASH = new PasswordHasher(new SecureRandom(), 10_000).hash("x".toCharArray());

    @TempDir
    Path tmp;

    /** Environment for examples: any *_HASH is a valid hash, anything else a plain word. */
    private static String env(String name) {
        return name.endsWith("_HASH") ? HASH : "example";
    }

    static List<String> blocks(String file, String language) throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = FENCE.matcher(Files.readString(Path.of(file)));
        while (m.find()) {
            if (m.group(1).equals(language)) {
                out.add(m.group(2));
            }
        }
        return out;
    }

    @Test
    void configurationMd_everyYamlExampleLoadsWithoutProblemsOrUnknownKeys() throws IOException {
        Path keystore = Files.createFile(tmp.resolve("broker.p12"));
        List<String> examples = blocks("docs/configuration.md", "yaml");
        assertTrue(examples.size() >= 3, "configuration.md has its examples");
        for (String yaml : examples) {
            // the TLS example names a keystore under /etc; point it at a file that exists here
            Path f = Files.writeString(tmp.resolve("example.yaml"),
                    yaml.replace("/etc/aiot-edge/broker.p12", keystore.toString()));
            ConfigLoader.Loaded loaded = new ConfigLoader(DocsExamplesTest::env).load(f, List.of());
            assertEquals(Set.of(), loaded.unknownKeys(), "example has unknown keys:\n" + yaml);
        }
    }

    @Test
    void configurationMd_documentsEveryBuiltInKey() throws IOException {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        Set<String> keys = new TreeSet<>();
        for (String k : new ConfigLoader(DocsExamplesTest::env).load(null, List.of()).effective().keySet()) {
            keys.add(k.replaceAll("\\[\\d+].*", ""));
        }
        Set<String> missing = new TreeSet<>();
        for (String k : keys) {
            if (!doc.contains("`" + k + "`")) {
                missing.add(k);
            }
        }
        assertEquals(Set.of(), missing, "keys missing from the table in docs/configuration.md");
    }

    @Test
    void shippedExampleConfig_loads() {
        ConfigLoader.Loaded loaded = new ConfigLoader(DocsExamplesTest::env).load(Path.of("config/aiot-edge.yaml"),
                List.of());
        assertEquals(Set.of(), loaded.unknownKeys());
        assertFalse(loaded.config().mqtt().allowAnonymous());
    }

    @Test
    void operationsMd_runtimeJsonExampleHasTheDocumentedShape() throws IOException {
        List<String> json = blocks("docs/operations.md", "json");
        assertEquals(1, json.size());
        JsonNode rt = new ObjectMapper().readTree(json.get(0));
        assertTrue(rt.path("pid").isNumber());
        assertEquals("platform", rt.path("roles").get(0).asText());
        assertTrue(rt.path("ports").path("mqtt").isInt() && rt.path("ports").path("http").isInt());
    }

    /** The runtime.json example in docs/operations.md. */
    public static JsonNode documentedRuntime() throws IOException {
        return new ObjectMapper().readTree(blocks("docs/operations.md", "json").get(0));
    }

    /** The listeners of the runtime.json example in docs/operations.md. */
    public static List<Listener> documentedListeners() throws IOException {
        JsonNode rt = new ObjectMapper().readTree(blocks("docs/operations.md", "json").get(0));
        List<Listener> out = new ArrayList<>();
        rt.path("listeners").forEach(l -> out.add(new ObjectMapper().convertValue(l, Listener.class)));
        return out;
    }

    @Test
    void operationsMd_startupBlockIsTheRuntimeJsonListenersRendered() throws IOException {
        List<Listener> listeners = documentedListeners();
        assertEquals(6, listeners.size());
        JsonNode ports = new ObjectMapper().readTree(blocks("docs/operations.md", "json").get(0)).path("ports");
        listeners.forEach(l -> assertEquals(l.port(), ports.path(l.name()).asInt(), l.name()));
        assertEquals(ports.size(), listeners.size());
        List<String> text = blocks("docs/operations.md", "text");
        String block = text.stream().filter(t -> t.startsWith("Listening (")).findFirst().orElseThrow();
        assertEquals(block.strip(), Node.exposure(listeners));
    }

    /** Metric names documented in docs/mqtt.md and docs/bridge.md; CliIT checks each exists on a running node. */
    public static Set<String> documentedMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String doc : List.of("docs/mqtt.md", "docs/bridge.md")) {
            Matcher m = Pattern.compile("`(aiot_[a-z_]+)").matcher(Files.readString(Path.of(doc)));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The rows of the first Markdown table after {@code heading} in {@code file}, cells trimmed, header row skipped. */
    static List<List<String>> table(String file, String heading) throws IOException {
        String doc = Files.readString(Path.of(file));
        int at = doc.indexOf(heading);
        assertTrue(at >= 0, file + " has no " + heading);
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : doc.substring(at).split("\n")) {
            if (line.startsWith("|")) {
                inTable = true;
                List<String> cells = new ArrayList<>();
                for (String c : line.substring(1, line.length() - 1).split("\\|")) {
                    cells.add(c.trim());
                }
                if (!cells.get(0).startsWith("---")) {
                    rows.add(cells);
                }
            } else if (inTable) {
                break;
            }
        }
        return rows.subList(1, rows.size());
    }

    /** Header names of a bridged record, as docs/bridge.md lists them; BridgeIT checks a real record has exactly these. */
    public static Set<String> documentedRecordHeaders() throws IOException {
        Set<String> names = new TreeSet<>();
        table("docs/bridge.md", "### Record headers").forEach(r -> names.add(r.get(0).replace("`", "")));
        return names;
    }

    @Test
    void featuresMd_listsTheDefaultFeatureVectorInOrder() throws IOException {
        List<String> text = blocks("docs/features.md", "text");
        assertEquals(1, text.size());
        List<String> documented = List.of(text.get(0).trim().split("\\s+"));
        var dsp = new ConfigLoader(DocsExamplesTest::env).load(null, List.of()).config().dsp();
        assertEquals(new io.aiotedge.dsp.FeatureSchema(dsp).names(), documented);
        List<String> perChannel = new ArrayList<>();
        table("docs/features.md", "## Per channel").forEach(r -> perChannel.add(r.get(0).replace("`", "")));
        assertEquals(io.aiotedge.dsp.FeatureSchema.PER_CHANNEL, perChannel.subList(0, perChannel.size() - 1));
    }

    @Test
    void framesMd_examplesDecodeToWhatTheTextSays() throws Exception {
        var codec = new io.aiotedge.wire.RawFrameCodec(List.of("current", "temperature", "vibration", "sound"), 4096);
        String hex = blocks("docs/frames.md", "hex").get(0).replaceAll("\\s+", "");
        var bin = codec.decode(java.util.HexFormat.of().parseHex(hex));
        assertEquals("motor-17", bin.deviceId());
        assertEquals(42, bin.sequence());
        assertEquals(13095f, bin.sampleRate());
        assertEquals(List.of(1.5f, 38.25f, 0.125f, 61.0f), List.of(bin.samples()[0][0], bin.samples()[1][0],
                bin.samples()[2][0], bin.samples()[3][0]));
        List<String> json = blocks("docs/frames.md", "json");
        assertEquals(3, json.size());
        JsonNode agg = new ObjectMapper().readTree(json.get(2));
        assertTrue(agg.path("count").isInt() && agg.path("from").isIntegralNumber());
        agg.path("features").forEach(f -> assertTrue(f.has("min") && f.has("max") && f.has("mean"), f.toString()));
        var frame = codec.decode(json.get(0).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(2, frame.samplesPerChannel());
        assertEquals(38.25f, frame.samples()[1][0]);
        var t = new io.aiotedge.wire.TelemetryCodec()
                .decode(json.get(1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("healthy", t.label());
        assertEquals("current_peak_hz", t.names().get(2));
    }

    @Test
    void bridgeMd_showsTheBuiltInSchemaAsShipped() throws IOException {
        List<String> json = blocks("docs/bridge.md", "json");
        assertEquals(1, json.size());
        try (var in = getClass().getResourceAsStream("/schemas/reference-sensor-data.json")) {
            assertEquals(new ObjectMapper().readTree(in), new ObjectMapper().readTree(json.get(0)));
        }
    }

    @Test
    void bridgeMd_defaultMappingTablesAreTheBuiltInDefaults() throws IOException {
        var bridge = new ConfigLoader(DocsExamplesTest::env).load(null, List.of()).config().bridge();
        List<String> documentedUp = new ArrayList<>();
        table("docs/bridge.md", "Default mappings:").forEach(r -> documentedUp.add(
                r.get(0).replace("`", "") + " -> " + r.get(1).replace("`", "")));
        List<String> up = new ArrayList<>();
        bridge.uplink().forEach(m -> up.add(m.mqtt() + " -> " + m.kafka()));
        assertEquals(up, documentedUp);
        String doc = Files.readString(Path.of("docs/bridge.md"));
        List<String> documentedDown = new ArrayList<>();
        table("docs/bridge.md", doc.substring(doc.indexOf("## Downlink")).contains("Default mappings:")
                ? "| Kafka | MQTT | QoS | retain |" : "?").forEach(
                        r -> documentedDown.add(r.get(0).replace("`", "")
                                + " -> " + r.get(1).replaceAll("`([^`]*)`.*", "$1") + " qos " + r.get(2) + " retain "
                                + r.get(3)));
        List<String> down = new ArrayList<>();
        bridge.downlink().forEach(m -> down.add(m.kafka() + " -> " + m.mqtt() + " qos " + m.qos() + " retain "
                + (m.retain() ? "yes" : "no")));
        assertEquals(down, documentedDown);
        assertEquals(Set.of("aiot.messageId", "mqtt.topic", "mqtt.qos", "mqtt.clientId", "mqtt.receivedAt",
                "aiot.principal", "aiot.principalRole"),
                documentedRecordHeaders());
    }

    @Test
    void mqttMd_listsTheBrokerMetrics() throws IOException {
        assertTrue(documentedMetrics().containsAll(Set.of("aiot_mqtt_connections", "aiot_mqtt_messages_dropped_total",
                "aiot_mqtt_auth_total", "aiot_mqtt_acl_denied_total")), documentedMetrics().toString());
    }
}
