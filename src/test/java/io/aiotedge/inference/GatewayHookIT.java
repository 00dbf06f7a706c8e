package io.aiotedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.core.ConfigException;
import io.aiotedge.core.NodeRole;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.runtime.Node;
import io.aiotedge.support.Api;
import io.aiotedge.support.PlatformNode;
import io.aiotedge.wire.RawFrame;
import io.aiotedge.wire.RawFrameCodec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop on one node ({@code inference.source: gateway}): raw frames in, the gateway's
 * features handed to the scorer in-process, a FAILURE alert and servo command out on MQTT.
 */
class GatewayHookIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHANNELS = List.of("current", "temperature", "vibration", "sound");

    @TempDir
    Path dir;

    @Test
    void rawFramesToTheGateway_areScoredInProcess_andAFailingMotorGetsItsServoCommand() throws Exception {
        // score = sigmoid(20 * (vibration_rms - 0.5))
        DenseNet net = new DenseNet(List.of(new DenseNet.Layer(new float[][] {{20f}}, new float[] {-10f}, false)));
        try (PlatformNode node = new PlatformNode(
                Set.of(NodeRole.PLATFORM, NodeRole.THINGS_GATEWAY, NodeRole.INFERENCE),
                dir, "kafka.mode=off", InferenceIT.users(), "gateway.username=svc", "gateway.password=svc-pw",
                "inference.username=svc", "inference.password=svc-pw", "inference.confirmWindows=1",
                "inference.backend=java", "inference.source=gateway", "pipeline.enabled=false")) {
            Api api = node.api();
            InferenceIT.shipChampion(api, TfliteExporter.floatModel(net, "vibration"), 1);

            Mqtt5BlockingClient ops = InferenceIT.connect(node.mqtt(), "ops");
            RawFrameCodec codec = new RawFrameCodec(CHANNELS, 65_536);
            try (Mqtt5BlockingClient.Mqtt5Publishes out = ops.publishes(MqttGlobalPublishFilter.ALL)) {
                ops.subscribeWith().topicFilter("aiot/v1/things/m-9/control").qos(MqttQos.AT_LEAST_ONCE).send();
                double[] amplitude = {0.1, 0.1, 2.0, 2.0};
                for (int i = 0; i < amplitude.length; i++) {
                    ops.publishWith().topic("aiot/v1/things/m-9/raw").qos(MqttQos.AT_LEAST_ONCE)
                            .payload(codec.encodeBinary(frame("m-9", i, amplitude[i]))).send();
                }
                Optional<Mqtt5Publish> cmd = Optional.empty();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (cmd.isEmpty() && System.nanoTime() < end) {
                    cmd = out.receive(1, TimeUnit.SECONDS);
                }
                assertTrue(cmd.isPresent(), "no servo command for m-9");
                JsonNode c = JSON.readTree(cmd.get().getPayloadAsBytes());
                assertEquals("servo", c.get("command").asText());
                assertEquals("FAILURE", api.get("/api/v1/conditions/m-9", api.admin()).json().get("band").asText());
                assertEquals(4, api.get("/api/v1/conditions/m-9", api.admin()).json().get("scored").asInt());
            } finally {
                ops.disconnect();
            }
        }
    }

    @Test
    void aSourceTheNodeLacks_gatewayWithoutTheRole_orKafkaWithoutKafka_isAConfigError() {
        var config = new ConfigLoader(k -> null).load(null, List.of("dataDir=" + dir, "inference.source=gateway"))
                .config();
        ConfigException e = assertThrows(ConfigException.class, () -> new Node(config, Set.of(NodeRole.INFERENCE)));
        assertTrue(e.getMessage().contains("inference.source: gateway"), e.getMessage());
        var kafka = new ConfigLoader(k -> null).load(null, List.of("dataDir=" + dir, "inference.source=kafka"))
                .config();
        ConfigException k = assertThrows(ConfigException.class, () -> new Node(kafka, Set.of(NodeRole.INFERENCE)));
        assertTrue(k.getMessage().contains("inference.source: kafka"), k.getMessage());
    }

    private static RawFrame frame(String device, long seq, double vibration) {
        float[][] s = new float[4][256];
        for (int i = 0; i < 256; i++) {
            double t = i / 13095.0;
            s[0][i] = (float) (1.5 * Math.sin(2 * Math.PI * 50 * t));
            s[1][i] = 40f;
            s[2][i] = (float) (vibration * Math.sin(2 * Math.PI * 120 * t));
            s[3][i] = (float) (0.2 * Math.sin(2 * Math.PI * 900 * t));
        }
        return new RawFrame(device, seq, System.currentTimeMillis(), 13095f, s);
    }
}
