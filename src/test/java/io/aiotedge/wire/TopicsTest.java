package io.aiotedge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aiotedge.config.BridgeConfig;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The vocabulary builds the topics of docs/mqtt.md, and the defaults YAML (user-facing config,
 * so it spells the names itself) routes exactly the vocabulary's topics: renaming one in
 * {@link Topics} without the YAML fails here.
 */
class TopicsTest {
    private final NodeConfig defaults = new ConfigLoader(k -> null).load(null, List.of()).config();

    @Test
    void builders_spellTheDocumentedTopics() {
        assertEquals("aiot/v1/things/m-1/raw", Topics.thingRaw("m-1"));
        assertEquals("aiot/v1/things/+/telemetry", Topics.thingTelemetry("+"));
        assertEquals("aiot/v1/things/m-1/telemetry/agg", Topics.thingTelemetryAgg("m-1"));
        assertEquals("aiot/v1/things/m-1/control", Topics.thingControl("m-1"));
        assertEquals("aiot/v1/things/m-1/alerts", Topics.thingAlerts("m-1"));
        assertEquals("aiot/v1/things/m-1/status", Topics.thingStatus("m-1"));
        assertEquals("aiot/v1/deadletter/m-1", Topics.deadLetter("m-1"));
        assertEquals("aiot/v1/models/motor-condition/latest", Topics.modelLatest("motor-condition"));
        assertEquals("$share/g/aiot/v1/things/+/telemetry", Topics.shared("g", Topics.thingTelemetry("+")));
    }

    @Test
    void deviceOf_readsTheDeviceLevel_orNullForOtherTopics() {
        assertEquals("m-1", Topics.deviceOfRaw("aiot/v1/things/m-1/raw"));
        assertEquals("m-1", Topics.deviceOfTelemetry("aiot/v1/things/m-1/telemetry"));
        assertNull(Topics.deviceOfRaw("aiot/v1/things/m-1/telemetry"));
        assertNull(Topics.deviceOfRaw("aiot/v1/things//raw"));
        assertNull(Topics.deviceOfTelemetry("aiot/v1/things/a/b/telemetry"));
        assertNull(Topics.deviceOfTelemetry("aiot/v2/things/m-1/telemetry"));
    }

    @Test
    void defaultsYaml_uplinkRoutesTheVocabularysTopics() {
        Map<String, String> uplink = defaults.bridge().uplink().stream()
                .collect(Collectors.toMap(m -> m.mqtt(), m -> m.kafka(), (a, b) -> a, java.util.LinkedHashMap::new));
        assertEquals(Map.of(
                Topics.thingTelemetry("{deviceId}"), Topics.TELEMETRY,
                Topics.thingRaw("{deviceId}"), Topics.RAW,
                Topics.thingAlerts("{deviceId}"), Topics.ALERTS,
                Topics.LEGACY_SENSOR_DATA, Topics.LEGACY_SENSOR_DATA,
                Topics.deadLetter("{deviceId}"), Topics.DEADLETTER), uplink);
    }

    @Test
    void defaultsYaml_downlinkRoutesTheVocabularysTopics() {
        BridgeConfig b = defaults.bridge();
        Map<String, String> downlink = b.downlink().stream()
                .collect(Collectors.toMap(m -> m.kafka(), m -> m.topicFor("{key}")));
        assertEquals(Map.of(
                Topics.CONTROL, Topics.thingControl("{key}"),
                Topics.LEGACY_CONTROL, Topics.LEGACY_CONTROL,
                Topics.MODELS, Topics.modelLatest("{key}"),
                Topics.ROLLOUTS, Topics.modelRollout("{key}")), downlink);
    }

    @Test
    void defaultsYaml_ingestsTheVocabularysTelemetryTopics() {
        assertEquals(List.of(Topics.TELEMETRY, Topics.LEGACY_SENSOR_DATA), defaults.platform().ingestTopics());
    }
}
