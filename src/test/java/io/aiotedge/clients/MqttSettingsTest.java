package io.aiotedge.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttSettingsTest {
    private static NodeConfig load(String... sets) {
        return new ConfigLoader(k -> null).load(null, List.of(sets)).config();
    }

    @Test
    void of_portZero_isThisNodesBroker() {
        MqttSettings s = MqttSettings.of(load().gateway(), 41883);
        assertEquals(new MqttSettings("gateway", "127.0.0.1", 41883, false, "", ""), s);
        assertFalse(s.authenticated());
    }

    @Test
    void of_eachRoleReadsItsOwnKeys_theSimulatorWithTls() {
        NodeConfig c = load("simulator.host=platform.plant.local", "simulator.port=8883", "simulator.tls=true",
                "simulator.username=sim", "simulator.password=sim-pw", "inference.port=1884", "inference.tls=true");
        assertEquals(new MqttSettings("simulator", "platform.plant.local", 8883, true, "sim", "sim-pw"),
                MqttSettings.of(c.simulator(), 41883));
        MqttSettings inference = MqttSettings.of(c.inference(), 41883);
        assertEquals(1884, inference.port());
        assertTrue(inference.tls());
    }

    @Test
    void of_portZeroOnANodeWithoutBroker_isAConfigProblemNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> MqttSettings.of(load().inference(), -1));
        assertTrue(e.problems().get(0).startsWith("inference.port: "), e.getMessage());
    }

    @Test
    void toString_neverShowsThePassword() {
        String s = new MqttSettings("gateway", "h", 1, true, "gw", "secret-pw").toString();
        assertFalse(s.contains("secret-pw"), s);
        assertTrue(s.contains("'gw'"), s);
    }
}
