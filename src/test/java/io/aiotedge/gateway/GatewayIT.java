package io.aiotedge.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.Health;
import io.aiotedge.simulator.Fault;
import io.aiotedge.simulator.MotorSignals;
import io.aiotedge.simulator.MotorSpec;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.Mqtt;
import io.aiotedge.wire.RawFrameCodec;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Raw frames in over a real broker, telemetry out; bad frames become dead letters and the gateway keeps going. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayIT {
    @TempDir
    Path dir;

    @Test
    void rawFramesIn_telemetryOut_badFramesDeadLettered() throws Exception {
        try (BrokerFixture broker = new BrokerFixture(dir, "mqtt.limits.inboundMessagesPerSecond=0").start()) {
            NodeConfig c = new ConfigLoader(k -> null).load(null, List.of("gateway.port=" + broker.port(),
                    "gateway.username=gw", "gateway.password=" + BrokerFixture.password("gw"))).config();
            List<Telemetry> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            GatewayComponent gateway = new GatewayComponent(c.gateway(), c.dsp(), new BoundPorts(),
                    new SimpleMeterRegistry(), List.of(heard::add));
            gateway.start();
            Mqtt5BlockingClient ops = Mqtt.v5(broker.port(), "ops-watch");
            Mqtt.connect(ops, "ops");
            Mqtt5BlockingClient device = Mqtt.v5(broker.port(), "motor-A");
            Mqtt.connect(device, "motor-A");
            try (Mqtt5BlockingClient.Mqtt5Publishes inbox = ops.publishes(MqttGlobalPublishFilter.ALL)) {
                ops.subscribeWith().topicFilter("aiot/v1/things/+/telemetry").qos(MqttQos.AT_LEAST_ONCE).send();
                ops.subscribeWith().topicFilter("aiot/v1/deadletter/#").qos(MqttQos.AT_LEAST_ONCE).send();
                RawFrameCodec codec = new RawFrameCodec(c.dsp().channels(), 65_536);
                MotorSignals signals = new MotorSignals((float) c.dsp().sampleRate(), c.dsp().windowSize());
                byte[] good = codec.encodeBinary(signals.frame(new MotorSpec("motor-A", Fault.IMBALANCE, 0, 0, 1, 9),
                        3, 1_795_689_600_000L));
                device.publishWith().topic("aiot/v1/things/motor-A/raw").qos(MqttQos.AT_LEAST_ONCE).payload(good)
                        .userProperties().add("aiot.label", "imbalance").applyUserProperties().send();
                Mqtt5Publish t = inbox.receive(30, TimeUnit.SECONDS).orElseThrow();
                assertEquals("aiot/v1/things/motor-A/telemetry", t.getTopic().toString());
                Telemetry telemetry = new TelemetryCodec().decode(t.getPayloadAsBytes());
                assertEquals("imbalance", telemetry.label());
                assertEquals(40, telemetry.values().length);
                assertEquals(1, heard.size(), "the closed-loop hook saw it");
                assertEquals("imbalance", heard.get(0).label());
                // 256 samples at 13095 Hz resolve 51 Hz: the 24.5 Hz imbalance line shows as energy, not as a peak
                assertTrue(telemetry.values()[telemetry.names().indexOf("vibration_rms")] > 0.8,
                        "imbalance raises RMS");

                Random r = new Random(4);
                for (int i = 0; i < 200; i++) {
                    byte[] junk = new byte[1 + r.nextInt(2000)];
                    r.nextBytes(junk);
                    device.publishWith().topic("aiot/v1/things/motor-A/raw").qos(MqttQos.AT_LEAST_ONCE).payload(junk)
                            .send();
                }
                int dead = 0;
                for (int i = 0; i < 200; i++) {
                    Mqtt5Publish d = inbox.receive(30, TimeUnit.SECONDS).orElseThrow();
                    assertEquals("aiot/v1/deadletter/motor-A", d.getTopic().toString());
                    assertTrue(d.getUserProperties().asList().stream().anyMatch(p -> p.getName().toString()
                            .equals("aiot.error") && !p.getValue().toString().isEmpty()));
                    dead++;
                }
                assertEquals(200, dead);
                device.publishWith().topic("aiot/v1/things/motor-A/raw").qos(MqttQos.AT_LEAST_ONCE).payload(good)
                        .send();
                assertEquals("aiot/v1/things/motor-A/telemetry",
                        inbox.receive(30, TimeUnit.SECONDS).orElseThrow().getTopic().toString(), "still processing");
                assertEquals(Health.Status.UP, gateway.health().status());
            } finally {
                device.disconnect();
                ops.disconnect();
                gateway.stop();
            }
        }
    }
    @Test
    void telemetryOverSeveralConnections_keepsEachDevicesOrder_andLosesNone() throws Exception {
        try (BrokerFixture broker = new BrokerFixture(dir, "mqtt.limits.inboundMessagesPerSecond=0").start()) {
            NodeConfig c = new ConfigLoader(k -> null).load(null, List.of("gateway.port=" + broker.port(),
                    "gateway.username=gw", "gateway.password=" + BrokerFixture.password("gw"),
                    "gateway.publishConnections=4", "gateway.aggregateSeconds=0")).config();
            GatewayComponent gateway = new GatewayComponent(c.gateway(), c.dsp(), new BoundPorts(),
                    new SimpleMeterRegistry(), List.of());
            gateway.start();
            Mqtt5BlockingClient ops = Mqtt.v5(broker.port(), "ops-order");
            Mqtt.connect(ops, "ops");
            Mqtt5BlockingClient feeder = Mqtt.v5(broker.port(), "gw-feeder");
            Mqtt.connect(feeder, "gw");
            try (Mqtt5BlockingClient.Mqtt5Publishes inbox = ops.publishes(MqttGlobalPublishFilter.ALL)) {
                ops.subscribeWith().topicFilter("aiot/v1/things/+/telemetry").qos(MqttQos.AT_LEAST_ONCE).send();
                RawFrameCodec codec = new RawFrameCodec(c.dsp().channels(), 65_536);
                MotorSignals signals = new MotorSignals((float) c.dsp().sampleRate(), c.dsp().windowSize());
                int devices = 8;
                int frames = 30;
                for (int seq = 0; seq < frames; seq++) {
                    for (int d = 0; d < devices; d++) {
                        String id = "line-" + d;
                        byte[] raw = codec.encodeBinary(signals.frame(new MotorSpec(id, Fault.HEALTHY, 0, 0, 1, d),
                                seq, 1_795_689_600_000L + seq));
                        feeder.publishWith().topic("aiot/v1/things/" + id + "/raw").qos(MqttQos.AT_LEAST_ONCE)
                                .payload(raw).send();
                    }
                }
                java.util.Map<String, List<Long>> seen = new java.util.TreeMap<>();
                for (int i = 0; i < devices * frames; i++) {
                    Telemetry t = new TelemetryCodec()
                            .decode(inbox.receive(30, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes());
                    seen.computeIfAbsent(t.deviceId(), k -> new ArrayList<>()).add(t.sequence());
                }
                assertEquals(devices, seen.size());
                List<Long> inOrder = java.util.stream.LongStream.range(0, frames).boxed().toList();
                seen.forEach((id, seqs) -> assertEquals(inOrder, seqs, id + "'s telemetry in its frames' order"));
                assertTrue(inbox.receive(1, TimeUnit.SECONDS).isEmpty(), "nothing twice");
                assertEquals(Health.Status.UP, gateway.health().status());
            } finally {
                feeder.disconnect();
                ops.disconnect();
                gateway.stop();
            }
        }
    }
}
