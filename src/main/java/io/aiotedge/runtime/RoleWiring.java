package io.aiotedge.runtime;

import io.aiotedge.alerts.AlertIngest;
import io.aiotedge.alerts.AlertStore;
import io.aiotedge.alerts.PlatformAlerts;
import io.aiotedge.api.ConditionsApi;
import io.aiotedge.api.ConsoleParts;
import io.aiotedge.api.LiveHub;
import io.aiotedge.api.PlatformApi;
import io.aiotedge.api.Sessions;
import io.aiotedge.bridge.BridgeDownlink;
import io.aiotedge.bridge.BridgeUplink;
import io.aiotedge.bridge.Spool;
import io.aiotedge.broker.BrokerComponent;
import io.aiotedge.config.GatewayConfig;
import io.aiotedge.config.InferenceConfig;
import io.aiotedge.config.KafkaConfig;
import io.aiotedge.config.MqttUser;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.config.SimulatorConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.Component;
import io.aiotedge.core.ConfigException;
import io.aiotedge.core.Health;
import io.aiotedge.core.KeyFiles;
import io.aiotedge.core.LiveFeed;
import io.aiotedge.core.NodeRole;
import io.aiotedge.core.PlatformLink;
import io.aiotedge.core.auth.Authenticator;
import io.aiotedge.core.auth.AuthenticatorChain;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.core.auth.StaticUserAuthenticator;
import io.aiotedge.core.auth.StoredUser;
import io.aiotedge.core.mqtt.ClientEvents;
import io.aiotedge.datastore.DatastoreMeters;
import io.aiotedge.datastore.FeatureStore;
import io.aiotedge.datastore.IngestComponent;
import io.aiotedge.devices.DeviceRegistry;
import io.aiotedge.devices.NodeTokens;
import io.aiotedge.gateway.GatewayComponent;
import io.aiotedge.http.ConsoleModule;
import io.aiotedge.http.HttpComponent;
import io.aiotedge.http.HttpModule;
import io.aiotedge.inference.InferenceComponent;
import io.aiotedge.inference.ModelLoadCheck;
import io.aiotedge.kafka.KafkaComponent;
import io.aiotedge.kafka.KafkaSink;
import io.aiotedge.models.AnnouncementSignatures;
import io.aiotedge.models.Announcer;
import io.aiotedge.models.ModelRegistry;
import io.aiotedge.models.RolloutController;
import io.aiotedge.pipeline.Pipeline;
import io.aiotedge.simulator.SimulatorComponent;
import io.aiotedge.storage.Backups;
import io.aiotedge.storage.Database;
import io.aiotedge.tflite.Backend;
import io.aiotedge.wire.TelemetryListener;
import io.aiotedge.wire.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Builds the components for a set of roles, each once, in dependency order (start order). The
 * HTTP server comes first so that {@code /health/ready} answers 503 while the rest start; the
 * platform database and registries come before the broker, whose authenticator asks them.
 */
final class RoleWiring {
    private RoleWiring() {
    }

    /** The platform's services, built before the HTTP server that serves their API. */
    private record Platform(Database db, DeviceRegistry devices, ModelRegistry models, FeatureStore features,
            Pipeline pipeline, PlatformApi api, PlatformLink link, ConsoleParts console,
            RolloutController rollouts) {
    }

    static List<Component> components(NodeConfig config, Set<NodeRole> roles, PrometheusMeterRegistry meters,
            BoundPorts ports, Supplier<Map<String, Health>> health) {
        boolean platformRole = roles.contains(NodeRole.PLATFORM);
        boolean hasBroker = platformRole || roles.contains(NodeRole.THINGS_GATEWAY);
        KafkaComponent kafka = platformRole && config.kafka().mode() != KafkaConfig.Mode.OFF
                ? new KafkaComponent(config.kafka(), config.dataDir(), ports,
                        config.bridge().enabled() ? config.bridge().kafkaTopics() : List.of())
                : null;
        KafkaSink sink = kafka == null ? null : new KafkaSink(config.kafka().client(), kafka::bootstrapServers);
        AtomicReference<BrokerComponent> brokerRef = new AtomicReference<>();
        Platform platform = platformRole ? platform(config, roles, meters, ports, kafka, sink, brokerRef, health)
                : null;
        InternalUser internal = hasBroker ? InternalUser.create() : null;

        InferenceComponent inference = roles.contains(NodeRole.INFERENCE)
                ? inference(config, roles, meters, ports, kafka, platform, internal) : null;
        List<Component> out = new ArrayList<>();
        List<HttpModule> modules = new ArrayList<>();
        if (platform != null) {
            modules.add(platform.api());
            // the operator's console (issue 16): its page and assets; it calls the platform API above
            modules.add(new ConsoleModule());
        }
        if (inference != null) {
            modules.add(platform != null
                    ? new ConditionsApi(inference, platform.api()::adminToken, platform.devices().authenticator(),
                            platform.console().sessions())
                    : new ConditionsApi(inference, () -> standaloneAdminToken(config), null));
        }
        out.add(new HttpComponent(config.http(), ports, health, meters::scrape, modules,
                config.platform().maxModelBytes()));
        if (platform != null) {
            out.add(platform.db());
        }
        if (kafka != null) {
            out.add(kafka);
            out.add(sink);
        }
        if (platform != null) {
            out.add(platform.devices());
            out.add(platform.models());
            out.add(platform.rollouts()); // issue 17: staged rollouts, after the registry they drive
            out.add(platform.api());
            if (platform.pipeline() != null) {
                out.add(platform.pipeline());
            }
            if (kafka != null && config.platform().ingest()) {
                out.add(new IngestComponent(config.platform(), config.kafka().client(), kafka::bootstrapServers,
                        platform.features(), config.dataDir(), Clock.systemUTC(), meters, platform.console().live()));
            }
            if (kafka != null) {
                // the console's alert history: aiot.alerts and aiot.control into the database
                out.add(new AlertIngest(config.kafka().client(), kafka::bootstrapServers, platform.console().alerts(),
                        platform.console().live(), config.dataDir(), Clock.systemUTC(), meters));
            }
        }
        BridgeUplink uplink = null;
        if (kafka != null && hasBroker && config.bridge().enabled()) {
            // before the broker: no publish may arrive before the bridge can store it
            uplink = new BridgeUplink(config.bridge(), config.kafka().client(), kafka::bootstrapServers,
                    config.dataDir(), meters);
            out.add(uplink);
        }
        if (hasBroker) {
            BrokerComponent broker = new BrokerComponent(config.mqtt(), config.dataDir(),
                    authenticator(config, platform, internal), meters, ports, uplink,
                    platform == null ? ClientEvents.NONE : platform.devices());
            brokerRef.set(broker);
            out.add(broker);
            if (uplink != null) {
                // the downlink forwards control only to registered devices, announcements only when signed here
                out.add(new BridgeDownlink(config.bridge(), config.kafka().client(), kafka::bootstrapServers, broker,
                        uplink, config.dataDir(), meters, config.kafka().startupTimeoutSeconds() * 1000L,
                        platform.devices(), new AnnouncementSignatures(config.dataDir())));
            }
        }
        if (inference != null) {
            // after the broker and Kafka it may use; before the gateway and simulator that feed it
            out.add(inference);
        }
        if (hasBroker && roles.contains(NodeRole.THINGS_GATEWAY)) {
            // the closed-loop hook: with inference.source gateway, each window goes to the local scorer
            List<TelemetryListener> hook = inference != null
                    && config.inference().source() == InferenceConfig.Source.GATEWAY
                            ? List.of(inference::onGatewayTelemetry) : List.of();
            GatewayConfig gw = config.gateway();
            if (gw.port() == 0 && gw.username().isEmpty()) {
                gw = gw.withCredentials(internal.username(), internal.password());
            }
            out.add(new GatewayComponent(gw, config.dsp(), ports, meters, hook));
        }
        if (config.simulator().enabled()) {
            // last: it publishes into the node's broker like a device would
            SimulatorConfig sim = config.simulator();
            if (internal != null && sim.port() == 0 && sim.username().isEmpty() && !config.mqtt().allowAnonymous()) {
                sim = sim.withCredentials(internal.username(), internal.password());
            }
            out.add(new SimulatorComponent(sim, config.dsp().windowSize(),
                    (float) config.dsp().sampleRate(), config.dsp().channels(), ports, meters));
        }
        return out;
    }

    /** Native memory our own stores may hold for these roles (the bridge spool's RocksDB), for the budget check. */
    static long nativePoolBytes(NodeConfig config, Set<NodeRole> roles) {
        boolean bridge = roles.contains(NodeRole.PLATFORM) && config.kafka().mode() != KafkaConfig.Mode.OFF
                && config.bridge().enabled();
        return bridge ? Spool.NATIVE_BYTES : 0;
    }

    private static Platform platform(NodeConfig config, Set<NodeRole> roles, PrometheusMeterRegistry meters,
            BoundPorts ports, KafkaComponent kafka, KafkaSink sink, AtomicReference<BrokerComponent> broker,
            Supplier<Map<String, Health>> health) {
        Database db = new Database(config.dataDir(), config.storage(), 4);
        DeviceRegistry devices = new DeviceRegistry(db::dataSource, broker::get, new PasswordHasher(),
                Clock.systemUTC(), meters);
        boolean downlink = kafka != null && config.bridge().enabled();
        Announcer announcer = new Announcer(broker::get, sink,
                downlink && carries(config, Topics.MODELS), downlink && carries(config, Topics.LEGACY_CONTROL),
                downlink && carries(config, Topics.ROLLOUTS), config.platform().legacyDevices());
        Supplier<String> baseUrl = () -> config.platform().publicUrl().isEmpty()
                ? (config.http().tls() ? "https" : "http") + "://localhost:" + ports.get("http")
                : config.platform().publicUrl();
        // issue 17: registry retention (models.keep*) and the rollout controller (rollout.*)
        ModelRegistry models = new ModelRegistry(db::dataSource, config.dataDir(), announcer, baseUrl,
                Clock.systemUTC(), config.platform().maxModelBytes(), new ModelLoadCheck(Backend.AUTO), meters,
                config.rollout().keepCandidates(), config.rollout().keepMinAgeHours() * 3_600_000L);
        // the console's live hub and alert history; a rollout's rollback alert goes into that history too
        LiveHub hub = new LiveHub(config.platform().live());
        AlertStore alerts = new AlertStore(db::dataSource, Clock.systemUTC());
        RolloutController rollouts = new RolloutController(models, db::dataSource, config.rollout(),
                Clock.systemUTC(), meters, new PlatformAlerts(alerts, hub, Clock.systemUTC()));
        FeatureStore features = new FeatureStore(db::dataSource);
        Pipeline pipeline = config.pipeline().enabled()
                ? new Pipeline(config.pipeline(), db::dataSource, features, models, rollouts, Clock.systemUTC(),
                        meters)
                : null;
        NodeTokens nodes = new NodeTokens(db::dataSource, Clock.systemUTC());
        // the operator's console: sessions shared by every API module, the live hub, the alert history
        DatastoreMeters.bind(features, meters);
        ConsoleParts console = new ConsoleParts(
                new Sessions(config.platform(), config.http().tls(), Clock.systemUTC()),
                hub, config.platform().live(), alerts, meters, health,
                roles.stream().map(NodeRole::id).sorted().toList(), System.currentTimeMillis());
        PlatformApi api = new PlatformApi(config.platform(), config.dataDir(), devices, models, features, pipeline,
                nodes, new Backups(db, config.dataDir(), Clock.systemUTC()), Clock.systemUTC(), console, rollouts);
        // the inference role on this node downloads over loopback with a token made for this start
        String localToken = nodes.ephemeral("local-inference");
        PlatformLink link = new PlatformLink(
                () -> (config.http().tls() ? "https" : "http") + "://localhost:" + ports.get("http"), () -> localToken);
        return new Platform(db, devices, models, features, pipeline, api, link, console, rollouts);
    }

    /** The inference role; its telemetry source must exist on this node. */
    private static InferenceComponent inference(NodeConfig config, Set<NodeRole> roles, PrometheusMeterRegistry meters,
            BoundPorts ports, KafkaComponent kafka, Platform platform,
            InternalUser internal) {
        Supplier<String> bootstrap = kafka != null ? kafka::bootstrapServers
                : config.kafka().mode() == KafkaConfig.Mode.EXTERNAL ? config.kafka()::bootstrapServers : null;
        InferenceConfig.Source source = config.inference().source();
        if (source == InferenceConfig.Source.GATEWAY && !roles.contains(NodeRole.THINGS_GATEWAY)) {
            throw new ConfigException("inference.source: gateway needs the things-gateway role on this node");
        }
        if (source == InferenceConfig.Source.KAFKA && bootstrap == null) {
            throw new ConfigException("inference.source: kafka, but this node has no Kafka (run the platform role "
                    + "with kafka.mode embedded or external, or set kafka.mode: external)");
        }
        InferenceConfig ic = config.inference();
        if (platform == null) {
            requireRemotePlatform(config, internal != null);
        }
        if (internal != null && ic.port() == 0 && ic.username().isEmpty()) {
            ic = ic.withCredentials(internal.username(), internal.password());
        }
        return new InferenceComponent(ic, config.dataDir(), ports, meters, config.kafka().client(), bootstrap,
                platform == null ? null : platform.link(),
                platform == null ? LiveFeed.NONE : platform.console().live());
    }

    /**
     * An inference node without the platform role needs, from its config, every way to the
     * platform it cannot find on itself: fail at wiring (exit 2) naming each key, not at start.
     */
    private static void requireRemotePlatform(NodeConfig config, boolean hasBroker) {
        InferenceConfig ic = config.inference();
        List<String> problems = new ArrayList<>();
        if (ic.platformUrl().isBlank()) {
            problems.add("inference.platformUrl: required without the platform role on this node "
                    + "(where models are downloaded, e.g. https://platform.plant.local:8443)");
        }
        if (ic.token().isBlank()) {
            problems.add("inference.token: required without the platform role on this node "
                    + "(a model-download token: aiot-edge nodes provision <id>)");
        }
        if (ic.publicKey().isBlank() && !Files.exists(new KeyFiles(config.dataDir()).signingPublicKey())) {
            problems.add("inference.publicKey: required without the platform role on this node "
                    + "(aiot-edge models pubkey on the platform)");
        }
        if (ic.port() == 0 && !hasBroker) {
            problems.add("inference.port: 0 means this node's broker, but without the platform or things-gateway "
                    + "role it runs none: set inference.host and inference.port");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** On a node without the platform API: {@code api.adminToken}, else a token file placed there, else none. */
    private static String standaloneAdminToken(NodeConfig config) {
        if (!config.platform().adminToken().isEmpty()) {
            return config.platform().adminToken();
        }
        Path f = new KeyFiles(config.dataDir()).adminToken();
        try {
            return Files.exists(f) ? Files.readString(f).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean carries(NodeConfig config, String kafkaTopic) {
        return config.bridge().downlink().stream().anyMatch(m -> m.kafka().equals(kafkaTopic));
    }

    private static Authenticator authenticator(NodeConfig config, Platform platform, InternalUser internal) {
        Map<String, StoredUser> users = new LinkedHashMap<>();
        for (MqttUser u : config.mqtt().users()) {
            users.put(u.username(), new StoredUser(u.passwordHash(), u.role()));
        }
        List<Authenticator> chain = new ArrayList<>();
        chain.add(new StaticUserAuthenticator(users, "config"));
        chain.add(new StaticUserAuthenticator(Map.of(internal.username(), internal.stored()), InternalUser.SOURCE));
        if (platform != null) {
            chain.add(platform.devices().authenticator());
            if (config.platform().legacyDevices()) {
                chain.add(platform.devices().legacyAuthenticator());
            }
        }
        return new AuthenticatorChain(chain);
    }
}
