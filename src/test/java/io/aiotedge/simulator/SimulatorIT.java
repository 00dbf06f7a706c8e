package io.aiotedge.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.support.BridgeFixture;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.KafkaRecords;
import io.aiotedge.wire.RawFrame;
import io.aiotedge.wire.RawFrameCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The simulator publishing into a real node: its frames come out of Kafka decodable and labelled by device. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SimulatorIT {
    @TempDir
    static Path dir;
    static BridgeFixture node;

    @BeforeAll
    static void start() {
        node = new BridgeFixture(dir, "mqtt.allowAnonymous=true").start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static SimulatorComponent simulator(String... sets) {
        List<String> all = new java.util.ArrayList<>(List.of("simulator.enabled=true",
                "simulator.port=" + node.mqttPort(), "simulator.framesPerSecond=20"));
        all.addAll(List.of(sets));
        NodeConfig c = new ConfigLoader(k -> null).load(null, all).config();
        return new SimulatorComponent(c.simulator(), c.dsp().windowSize(), (float) c.dsp().sampleRate(),
                c.dsp().channels(), new BoundPorts(), new SimpleMeterRegistry());
    }

    @Test
    void binaryFleet_framesReachKafkaAndDecode_perDeviceInSequence() throws Exception {
        SimulatorComponent sim = simulator("simulator.motors=3");
        sim.start();
        RawFrameCodec codec = new RawFrameCodec(List.of("current", "temperature", "vibration", "sound"), 256);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> KafkaRecords.all(node.bootstrap(), "aiot.raw").stream()
                    .map(KafkaRecords.Rec::key).filter(k -> k.startsWith("motor-")).distinct().count() == 3
                    && KafkaRecords.all(node.bootstrap(), "aiot.raw").size() >= 30);
        } finally {
            sim.stop();
        }
        Set<String> devices = new TreeSet<>();
        long lastSeq = -1;
        for (KafkaRecords.Rec r : KafkaRecords.all(node.bootstrap(), "aiot.raw")) {
            RawFrame f = codec.decode(r.value());
            assertEquals(r.key(), f.deviceId());
            assertEquals(256, f.samplesPerChannel());
            devices.add(f.deviceId());
            if (f.deviceId().equals("motor-001")) {
                assertTrue(f.sequence() > lastSeq, "in order per device");
                lastSeq = f.sequence();
            }
        }
        assertEquals(Set.of("motor-001", "motor-002", "motor-003"), devices);
    }

    @Test
    void referenceFormat_speaksTheReferenceFirmwaresJson_andPassesItsSchema() {
        SimulatorComponent sim = simulator("simulator.motors=2", "simulator.format=reference",
                "simulator.username=gw", "simulator.password=" + BrokerFixture.password("gw"));
        sim.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> KafkaRecords.all(node.bootstrap(),
                    "shaded-pole-motor-sensor_data").stream().map(KafkaRecords.Rec::key).distinct().count() == 2);
        } finally {
            sim.stop();
        }
        KafkaRecords.Rec r = KafkaRecords.all(node.bootstrap(), "shaded-pole-motor-sensor_data").get(0);
        assertTrue(r.text().matches("\\{\"deviceID\": \"1433361[67]\", \"current\": [0-9.]+, \"temperature\": [0-9.]+, "
                + "\"vibration\": [0-9.]+, \"sound\": [0-9.]+, \"fft_data\": \"true\"}"), r.text());
        assertEquals(0.0, node.count("aiot_bridge_dead_lettered_total"), "nothing failed the built-in schema");
    }
}
