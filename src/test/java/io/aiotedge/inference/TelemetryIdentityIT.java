package io.aiotedge.inference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.DspConfig;
import io.aiotedge.core.NodeRole;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.simulator.Fault;
import io.aiotedge.simulator.MotorSignals;
import io.aiotedge.simulator.MotorSpec;
import io.aiotedge.support.Api;
import io.aiotedge.support.KafkaRecords;
import io.aiotedge.support.Mqtt;
import io.aiotedge.support.PlatformNode;
import io.aiotedge.wire.RawFrameCodec;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 finding 3, the probe that showed it: a provisioned device, on its own topic, claims
 * another device's id in the payload. The identity is the authenticated principal and the
 * topic: the bridge dead-letters the window, so nothing is stored, scored or commanded for the
 * other device; the device's own labels do not reach training, a service's do.
 */
class TelemetryIdentityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TelemetryCodec CODEC = new TelemetryCodec();

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void deviceClaimingAnotherDevicesId_isDeadLettered_neitherStoredNorScoredNorCommanded_andItsLabelsAreDropped()
            throws Exception {
        DenseNet net = new DenseNet(List.of(new DenseNet.Layer(new float[][] {{20f}}, new float[] {-10f}, false)));
        try (PlatformNode node = new PlatformNode(Set.of(NodeRole.PLATFORM, NodeRole.INFERENCE,
                NodeRole.THINGS_GATEWAY), dir, InferenceIT.users(), "inference.username=svc",
                "inference.password=svc-pw",
                "gateway.username=svc", "gateway.password=svc-pw",
                "inference.confirmWindows=1", "inference.backend=java", "pipeline.enabled=false")) {
            Api api = node.api();
            InferenceIT.shipChampion(api, TfliteExporter.floatModel(net, "vibration"), 1);
            String bootstrap = "127.0.0.1:" + node.kafka();
            InferenceComponent inference = node.node().components().stream()
                    .filter(InferenceComponent.class::isInstance)
                    .map(InferenceComponent.class::cast).findFirst().orElseThrow();
            await().atMost(Duration.ofSeconds(60)).until(() -> inference.assignedPartitions() == 3);
            String secretA = provision(api, "devA");
            provision(api, "devB");

            Mqtt5BlockingClient ops = InferenceIT.connect(node.mqtt(), "ops");
            Mqtt5BlockingClient devA = Mqtt.v5(node.mqtt(), "devA");
            devA.connectWith().simpleAuth().username("devA").password(secretA.getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().send();
            Mqtt5BlockingClient svc = InferenceIT.connect(node.mqtt(), "svc");
            try (Mqtt5BlockingClient.Mqtt5Publishes control = ops.publishes(MqttGlobalPublishFilter.ALL)) {
                ops.subscribeWith().topicFilter("aiot/v1/things/+/control").qos(MqttQos.AT_LEAST_ONCE).send();

                Mqtt5PubAckException refused = assertThrows(Mqtt5PubAckException.class,
                        () -> publish(devA, "devA", window("devB", 1, 0.95, "bearing-wear")));
                assertEquals(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID, refused.getMqttMessage().getReasonCode());
                String reason = "payload deviceId 'devB' differs from the topic's {deviceId} 'devA'";
                assertEquals(reason, refused.getMqttMessage().getReasonString().orElseThrow().toString());

                publish(devA, "devA", window("devA", 2, 0.95, "bearing-wear")); // its own failure, its own label
                publish(svc, "devA", window("devA", 3, 0.97, "imbalance")); // a label source's label
                List<String> commanded = commandsUntil(control, "devA");
                assertEquals(List.of("devA"), commanded, "devB is never commanded");

                // a labelled raw frame from devA: the gateway (a service) relays devA's label, saying whose
                DspConfig dsp = new ConfigLoader(k -> null).load(null, List.of()).config().dsp();
                byte[] frame = new RawFrameCodec(dsp.channels(), 65_536).encodeBinary(new MotorSignals(
                        (float) dsp.sampleRate(), dsp.windowSize())
                        .frame(new MotorSpec("devA", Fault.IMBALANCE, 0, 0, 1,
                                9), 7, System.currentTimeMillis()));
                devA.publishWith().topic("aiot/v1/things/devA/raw").qos(MqttQos.AT_LEAST_ONCE).payload(frame)
                        .userProperties().add("aiot.label", "imbalance").add("aiot.principal", "svc")
                        .add("aiot.principalRole", "service").applyUserProperties().send();

                await().atMost(Duration.ofSeconds(60)).until(() -> rows(api, "devA").size() == 3);
                List<JsonNode> rows = rows(api, "devA");
                assertTrue(rows.stream().anyMatch(r -> r.get("sequence").asLong() == 7 && r.get("label").isNull()),
                        "a device's label relayed by the gateway is not stored either: " + rows);
                assertTrue(rows.stream().anyMatch(r -> r.get("sequence").asLong() == 2 && r.get("label").isNull()),
                        "the device's own label is not stored: " + rows);
                assertTrue(rows.stream().anyMatch(r -> r.get("sequence").asLong() == 3
                        && "imbalance".equals(r.get("label").asText())), "the service's label is: " + rows);
                assertEquals(0, rows(api, "devB").size(), "nothing stored under devB");
                assertEquals(404, api.get("/api/v1/conditions/devB", api.admin()).status(), "devB never scored");
                assertEquals("FAILURE", api.get("/api/v1/conditions/devA", api.admin()).json().get("band").asText());

                List<KafkaRecords.Rec> dead = KafkaRecords.all(bootstrap, "aiot.deadletter");
                assertEquals(1, dead.size(), dead.toString());
                assertEquals(reason, dead.get(0).header("aiot.error"));
                assertEquals("devA", dead.get(0).header("aiot.principal"));
                assertEquals("device", dead.get(0).header("aiot.principalRole"));
                List<KafkaRecords.Rec> telemetry = KafkaRecords.all(bootstrap, "aiot.telemetry");
                assertEquals(3, telemetry.size());
                assertTrue(telemetry.stream().noneMatch(r -> r.text().contains("devB")), telemetry.toString());
                assertEquals(List.of("devA", "svc", "svc"), telemetry.stream().map(r -> r.header("aiot.principal"))
                        .toList());
                KafkaRecords.Rec relayed = telemetry.get(2);
                assertEquals("devA", relayed.header("mqtt.user.aiot.labelledBy"),
                        "the broker's stamp, not the forgery");
                assertEquals("device", relayed.header("mqtt.user.aiot.labelledByRole"));
            } finally {
                devA.disconnect();
                svc.disconnect();
                ops.disconnect();
            }
        }
    }

    private static String provision(Api api, String id) {
        Api.Res r = api.postJson("/api/v1/devices", api.admin(), "{\"id\":\"" + id + "\"}");
        assertEquals(201, r.status(), r.text());
        return r.json().get("secret").asText();
    }

    private static byte[] window(String device, long seq, double vibration, String label) {
        return CODEC.encode(new Telemetry(device, System.currentTimeMillis(), seq, List.of("vibration_rms",
                "current_rms"), new double[] {vibration, 2.0}, label));
    }

    private static void publish(Mqtt5BlockingClient c, String topicDevice, byte[] payload) {
        c.publishWith().topic("aiot/v1/things/" + topicDevice + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload).send();
    }

    /** The devices commanded, in order, until {@code last} is (30 s at most). */
    private static List<String> commandsUntil(Mqtt5BlockingClient.Mqtt5Publishes in, String last) throws Exception {
        List<String> out = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            Optional<Mqtt5Publish> p = in.receive(1, TimeUnit.SECONDS);
            if (p.isPresent()) {
                String device = JSON.readTree(p.get().getPayloadAsBytes()).get("deviceId").asText();
                out.add(device);
                if (device.equals(last)) {
                    return out;
                }
            }
        }
        throw new AssertionError("no servo command for " + last + " within 30 s; got " + out);
    }

    private static List<JsonNode> rows(Api api, String device) {
        List<JsonNode> out = new ArrayList<>();
        api.get("/api/v1/datastore/rows?device=" + device + "&limit=1000", api.admin()).json().get("rows")
                .forEach(out::add);
        return out;
    }
}
