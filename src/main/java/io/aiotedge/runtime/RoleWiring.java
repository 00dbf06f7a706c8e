package io.aiotedge.runtime;

import io.aiotedge.bridge.BridgeDownlink;
import io.aiotedge.bridge.BridgeUplink;
import io.aiotedge.broker.BrokerComponent;
import io.aiotedge.config.KafkaConfig;
import io.aiotedge.config.MqttUser;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.Component;
import io.aiotedge.core.Health;
import io.aiotedge.core.NodeRole;
import io.aiotedge.core.auth.Authenticator;
import io.aiotedge.core.auth.AuthenticatorChain;
import io.aiotedge.core.auth.StaticUserAuthenticator;
import io.aiotedge.core.auth.StoredUser;
import io.aiotedge.http.HttpComponent;
import io.aiotedge.gateway.GatewayComponent;
import io.aiotedge.kafka.KafkaComponent;
import io.aiotedge.simulator.SimulatorComponent;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds the components for a set of roles, each once, in dependency order (start order). The
 * HTTP server comes first so that {@code /health/ready} answers 503 while the rest start.
 */
final class RoleWiring {
    private RoleWiring() {
    }

    static List<Component> components(NodeConfig config, Set<NodeRole> roles, PrometheusMeterRegistry meters,
                                      BoundPorts ports, Supplier<Map<String, Health>> health) {
        List<Component> out = new ArrayList<>();
        out.add(new HttpComponent(config.http(), ports, health, meters::scrape));
        KafkaComponent kafka = null;
        if (roles.contains(NodeRole.PLATFORM) && config.kafka().mode() != KafkaConfig.Mode.OFF) {
            kafka = new KafkaComponent(config.kafka(), config.dataDir(), ports,
                    config.bridge().enabled() ? config.bridge().kafkaTopics() : List.of());
            out.add(kafka);
        }
        boolean hasBroker = roles.contains(NodeRole.PLATFORM) || roles.contains(NodeRole.THINGS_GATEWAY);
        BridgeUplink uplink = null;
        if (kafka != null && hasBroker && config.bridge().enabled()) {
            // before the broker: no publish may arrive before the bridge can store it
            uplink = new BridgeUplink(config.bridge(), config.kafka().client(), kafka::bootstrapServers,
                    config.dataDir(), meters);
            out.add(uplink);
        }
        if (hasBroker) {
            BrokerComponent broker = new BrokerComponent(config.mqtt(), config.dataDir(), authenticator(config), meters,
                    ports, uplink);
            out.add(broker);
            if (uplink != null) {
                out.add(new BridgeDownlink(config.bridge(), config.kafka().client(), kafka::bootstrapServers, broker,
                        uplink, config.dataDir(), meters, config.kafka().startupTimeoutSeconds() * 1000L));
            }
        }
        if (hasBroker && roles.contains(NodeRole.THINGS_GATEWAY)) {
            // the closed-loop hook stays empty until the inference role fills it (issue 6)
            out.add(new GatewayComponent(config.gateway(), config.dsp(), ports, meters, List.of()));
        }
        if (config.simulator().enabled()) {
            // last: it publishes into the node's broker like a device would
            out.add(new SimulatorComponent(config.simulator(), config.dsp().windowSize(),
                    (float) config.dsp().sampleRate(), config.dsp().channels(), ports, meters));
        }
        return out;
    }

    private static Authenticator authenticator(NodeConfig config) {
        Map<String, StoredUser> users = new LinkedHashMap<>();
        for (MqttUser u : config.mqtt().users()) {
            users.put(u.username(), new StoredUser(u.passwordHash(), u.role()));
        }
        return new AuthenticatorChain(List.of(new StaticUserAuthenticator(users, "config")));
    }
}
