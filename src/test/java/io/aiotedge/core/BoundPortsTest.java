package io.aiotedge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoundPortsTest {
    private static Listener listener(String name, String bind, int port) {
        return new Listener(name, bind, port, false, Listener.NONE, Listener.NONE, true, "");
    }

    @Test
    void listening_recordsThePortUnderTheSameName_andListsByName() {
        BoundPorts ports = new BoundPorts();
        ports.listening(listener("mqtt", "0.0.0.0", 1883));
        ports.listening(listener("http", "0.0.0.0", 8080));
        ports.put("other", 5);
        assertEquals(Map.of("mqtt", 1883, "http", 8080, "other", 5), ports.snapshot());
        assertEquals(List.of("http", "mqtt"), ports.listeners().stream().map(Listener::name).toList());
    }

    @Test
    void remove_dropsPortAndListener() {
        BoundPorts ports = new BoundPorts();
        ports.listening(listener("mqttTls", "0.0.0.0", 8883));
        ports.remove("mqttTls");
        assertEquals(-1, ports.get("mqttTls"));
        assertEquals(List.of(), ports.listeners());
    }

    @Test
    void exposed_isEverythingButLoopback() {
        assertTrue(listener("a", "0.0.0.0", 1).exposed());
        assertTrue(listener("a", "10.0.0.5", 1).exposed());
        assertFalse(listener("a", "127.0.0.1", 1).exposed());
        assertFalse(listener("a", "::1", 1).exposed());
        assertFalse(listener("a", "localhost", 1).exposed());
    }

    @Test
    void describe_namesTlsClientAuthAuthenticationAndAnonymous() {
        Listener mtls = new Listener("brokers", "10.0.0.21", 9094, true, "required", Listener.MTLS, false, "x");
        assertEquals("brokers          10.0.0.21:9094         TLS (client cert required) auth mTLS (x)",
                mtls.describe());
        assertEquals("a                127.0.0.1:1            plaintext                auth none, anonymous allowed, "
                + "loopback only", listener("a", "127.0.0.1", 1).describe());
    }

    @Test
    void listener_blankFields_refused() {
        assertThrows(IllegalArgumentException.class,
                () -> new Listener(" ", "0.0.0.0", 1, false, "none", "none", false, ""));
    }
}
