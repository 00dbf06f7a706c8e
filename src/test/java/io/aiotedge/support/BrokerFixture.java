package io.aiotedge.support;

import io.aiotedge.broker.BrokerComponent;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.auth.AuthenticatorChain;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.core.auth.StaticUserAuthenticator;
import io.aiotedge.core.auth.StoredUser;
import io.aiotedge.core.mqtt.ClientEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real embedded broker on a free port in a temp dir, with four users: devices motor-A and
 * motor-B, service gw, admin ops (password = name + "-pw"). One per JVM (HiveMQ's rule).
 */
public final class BrokerFixture implements AutoCloseable {
    public static final List<String> USERS = List.of("motor-A:device", "motor-B:device", "gw:service", "ops:admin");

    private final Path dataDir;
    private final List<String> overrides;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BoundPorts ports = new BoundPorts();
    private BrokerComponent broker;
    private io.aiotedge.core.auth.Authenticator first;

    public BrokerFixture(Path dataDir, String... overrides) {
        this.dataDir = dataDir;
        this.overrides = List.of(overrides);
    }

    public static String password(String user) {
        return user + "-pw";
    }

    /** {@code mqtt.users=[...]} for the four test users, hashed with few iterations (tests only). */
    public static String usersOverride() {
        PasswordHasher h = new PasswordHasher(new SecureRandom(), 10_000);
        List<String> items = new ArrayList<>();
        for (String u : USERS) {
            String[] p = u.split(":");
            items.add("{username: " + p[0] + ", passwordHash: \"" + h.hash(password(p[0]).toCharArray())
                    + "\", role: " + p[1] + "}");
        }
        return "mqtt.users=[" + String.join(", ", items) + "]";
    }

    /**
     * The command line of a things-gateway node on loopback with free ports and the four test users:
     * what the budget tests (flood, soak) run inside the role's memory group.
     */
    public static String[] loopbackGatewayArgs(Path dataDir) {
        return new String[] {"run", "--role", "things-gateway", "--data-dir", dataDir.toString(), "--set",
                "mqtt.port=0", "--set", "mqtt.bindAddress=127.0.0.1", "--set", "http.port=0", "--set",
                usersOverride()};
    }

    /** Asks {@code a} before the four users (a slow or blocking authenticator, for queue tests). */
    public BrokerFixture withAuthenticator(io.aiotedge.core.auth.Authenticator a) {
        this.first = a;
        return this;
    }

    public BrokerFixture start() {
        List<String> all = new ArrayList<>(List.of("mqtt.port=0", "mqtt.bindAddress=127.0.0.1", usersOverride(),
                "dataDir=" + dataDir));
        all.addAll(overrides);
        NodeConfig config = new ConfigLoader(k -> null).load(null, all).config();
        Map<String, StoredUser> users = new LinkedHashMap<>();
        config.mqtt().users().forEach(u -> users.put(u.username(), new StoredUser(u.passwordHash(), u.role())));
        List<io.aiotedge.core.auth.Authenticator> chain = new ArrayList<>();
        if (first != null) {
            chain.add(first);
        }
        chain.add(new StaticUserAuthenticator(users, "config"));
        broker = new BrokerComponent(config.mqtt(), config.dataDir(), new AuthenticatorChain(chain), meters, ports,
                null, ClientEvents.NONE);
        broker.start();
        return this;
    }

    public int port() {
        return ports.get("mqtt");
    }

    /** A bound port by name: mqtt, mqttTls, mqttWs. */
    public int port(String name) {
        return ports.get(name);
    }

    /** The listeners the broker reported (mqtt, mqttTls, mqttWs). */
    public List<io.aiotedge.core.Listener> listeners() {
        return ports.listeners();
    }

    public double counter(String name, String... tags) {
        var c = meters.find(name).tags(tags).counter();
        return c == null ? Double.NaN : c.count();
    }

    /** A function counter or gauge bound from HiveMQ's registry, by its Micrometer name. */
    public double gauge(String name) {
        var fc = meters.find(name.replace("_total", "")).functionCounter();
        if (fc != null) {
            return fc.count();
        }
        var g = meters.find(name).gauge();
        return g == null ? Double.NaN : g.value();
    }

    public void stop() {
        if (broker != null) {
            broker.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
