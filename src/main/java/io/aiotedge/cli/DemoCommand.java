package io.aiotedge.cli;

import io.aiotedge.core.KeyFiles;
import io.aiotedge.core.NodeRole;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.wire.Topics;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run all three roles in one process on embedded defaults, for a first look.",
                "Anonymous MQTT is allowed in demo only; data goes to ./demo-data unless --data-dir is given."})
final class DemoCommand implements Callable<Integer> {
    /** Demo defaults, applied before the user's own --set so those still win. */
    static final List<String> DEMO_OVERRIDES = List.of("mqtt.allowAnonymous=true", "dataDir=demo-data",
            "simulator.enabled=true");
    static final String GATEWAY_USER = "demo-gateway";

    @Mixin
    NodeOptions options;

    @Spec
    CommandSpec spec;

    /**
     * The demo defaults plus a service user for the in-process gateway, with a password made up
     * for this run: anonymous clients stay devices confined to their own topics, and the gateway,
     * which reads every device's frames, authenticates like it would in production.
     */
    static List<String> overrides() {
        byte[] secret = new byte[18];
        SecureRandom random = new SecureRandom();
        random.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        // 144 random bits need no key stretching: the hasher's minimum iterations keep startup fast
        String hash = new PasswordHasher(random, 10_000).hash(password.toCharArray());
        List<String> out = new ArrayList<>(DEMO_OVERRIDES);
        out.add("mqtt.users=[{username: " + GATEWAY_USER + ", passwordHash: \"" + hash + "\", role: service}]");
        out.add("gateway.username=" + GATEWAY_USER);
        out.add("gateway.password=" + password);
        // the simulator labels its frames: as a service user it is a label source (datastore.labelSources)
        out.add("simulator.username=" + GATEWAY_USER);
        out.add("simulator.password=" + password);
        // the inference role publishes alerts and servo commands for every motor: a service user too
        out.add("inference.username=" + GATEWAY_USER);
        out.add("inference.password=" + password);
        // the simulated motors connect anonymously and are not registered devices: let servo commands
        // reach any motor id (anonymous clients can claim any id in demo anyway); announcements stay verified
        out.add("bridge.downlink=[{kafka: " + Topics.CONTROL + ", mqtt: \"" + Topics.thingControl("{key}")
                + "\", qos: 1, keys: any},"
                + " {kafka: " + Topics.LEGACY_CONTROL + ", mqtt: " + Topics.LEGACY_CONTROL + ", qos: 1},"
                + " {kafka: " + Topics.MODELS + ", mqtt: \"" + Topics.modelLatest("{key}") + "\", qos: 1, retain: true,"
                + " verify: model-announcement},"
                + " {kafka: " + Topics.ROLLOUTS + ", mqtt: \"" + Topics.modelRollout("{key}")
                + "\", qos: 1, retain: true,"
                + " verify: rollout}]");
        // the loop turns quickly: a drift check (and the first training) every minute on the last hour
        out.add("pipeline.scheduleMinutes=1");
        out.add("pipeline.windowHours=1");
        out.add("pipeline.minRows=120");
        out.add("pipeline.minRowsPerClass=20");
        // simulated time runs one DSP window (~20 ms) per frame: faults start ~25 s into the demo
        out.add("simulator.onsetSeconds=1");
        out.add("simulator.rampSeconds=2");
        // ~3.5 minutes in, the fleet runs under a heavier load: the drift check notices and retrains
        out.add("simulator.regimeChangeSeconds=8");
        return out;
    }

    @Override
    public Integer call() throws Exception {
        var loaded = options.load(overrides());
        var out = spec.commandLine().getOut();
        return NodeLauncher.runUntilSignalled(loaded, EnumSet.allOf(NodeRole.class), ports -> {
            int http = ports.getOrDefault("http", -1);
            out.printf(Locale.ROOT, "Health:  http://localhost:%d/health/ready%nMetrics: http://localhost:%d/metrics%n"
                    + "MQTT:    localhost:%d (anonymous allowed in demo)%n"
                    + "Simulated motors publish raw frames on " + Topics.thingRaw("+")
                    + "; the gateway publishes their%n"
                    + "features on " + Topics.thingTelemetry("+") + "; the bridge carries both into Kafka ("
                    + Topics.RAW + ", " + Topics.TELEMETRY + ")%n"
                    + "and the platform stores them in the training datastore.%n"
                    + "API:     http://localhost:%d/api/v1 (OpenAPI: /openapi.json); admin token in %s%n"
                    + "         e.g. aiot-edge devices list --data-dir %s%n",
                    http, http, ports.getOrDefault("mqtt", -1), http,
                    new KeyFiles(loaded.config().dataDir()).adminToken(), loaded.config().dataDir());
            out.flush();
            DemoSummary.start(http, out);
        }, out);
    }
}
