package io.aiotedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.InferenceConfig;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.support.DocExamples;
import io.aiotedge.tflite.Backend;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The payloads shown in docs/inference.md have the fields the code writes, no more, no fewer. */
class InferenceDocsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void alertCommandConditionAndRejection_examplesMatchWhatTheCodeWrites() throws Exception {
        Map<String, JsonNode> docs = DocExamples.read(Path.of("docs/inference.md"));
        assertEquals(Set.of("rejected", "alert", "command", "condition"), docs.keySet());

        InferenceConfig config = new ConfigLoader(k -> null).load(null, List.of("inference.confirmWindows=1"))
                .config().inference();
        DenseNet net = new DenseNet(List.of(new DenseNet.Layer(new float[][] {{20f, 0f}}, new float[] {-10f}, false)));
        LoadedModel model = new LoadedModel("motor-condition", 1, "00",
                List.of("vibration_rms", "current_rms"),
                Backend.JAVA.open(TfliteExporter.floatModel(net, "vibration")), "3f9a0c17d2b4e851");
        Scoring scoring = new Scoring(config, () -> model, new SimpleMeterRegistry());
        List<ObjectNode> alerts = new ArrayList<>();
        List<ObjectNode> commands = new ArrayList<>();
        Outlet outlet = new Outlet() {
            @Override
            public void alert(String deviceId, ObjectNode alert) {
                alerts.add(alert);
            }

            @Override
            public void command(String deviceId, ObjectNode command) {
                commands.add(command);
            }
        };
        TelemetryCodec codec = new TelemetryCodec();
        long now = System.currentTimeMillis();
        scoring.accept("motor-002",
                codec.encode(new Telemetry("motor-002", now - 70_000, 1, List.of("vibration_rms", "current_rms"),
                        new double[] {0.1, 2.0}, "bearing-wear")),
                outlet);
        scoring.accept("motor-002",
                codec.encode(new Telemetry("motor-002", now, 2, List.of("vibration_rms", "current_rms"),
                        new double[] {0.91, 2.03}, "bearing-wear")),
                outlet);

        assertEquals(1, alerts.size());
        assertEquals(fields(docs.get("alert")), fields(alerts.get(0)));
        assertEquals(1, commands.size());
        assertEquals(fields(docs.get("command")), fields(commands.get(0)));
        JsonNode condition = JSON.valueToTree(scoring.windows().device("motor-002").orElseThrow());
        assertNotNull(condition.get("last"), "two windows apart: the last window is complete");
        assertEquals(fields(docs.get("condition")), fields(condition));
        assertEquals(fields(docs.get("rejected")), fields(ModelMessages.rejectedAlert("m", "why", 1)));
    }

    /** Every field path, objects descended into. */
    private static Set<String> fields(JsonNode n) {
        Set<String> out = new TreeSet<>();
        walk("", n, out);
        return out;
    }

    private static void walk(String prefix, JsonNode n, Set<String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(prefix + e.getKey());
            if (e.getValue().isObject()) {
                walk(prefix + e.getKey() + ".", e.getValue(), out);
            }
        }
    }
}
