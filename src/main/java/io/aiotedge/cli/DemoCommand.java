package io.aiotedge.cli;

import io.aiotedge.core.NodeRole;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run all three roles in one process on embedded defaults, for a first look.",
                "Anonymous MQTT is allowed in demo only; data goes to ./demo-data unless --data-dir is given."})
final class DemoCommand implements Callable<Integer> {
    /** Demo defaults, applied before the user's own --set so those still win. */
    static final List<String> DEMO_OVERRIDES = List.of("mqtt.allowAnonymous=true", "dataDir=demo-data",
            "simulator.enabled=true");

    @Mixin
    NodeOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var loaded = options.load(DEMO_OVERRIDES);
        var out = spec.commandLine().getOut();
        return NodeLauncher.runUntilSignalled(loaded, EnumSet.allOf(NodeRole.class), ports -> {
            int http = ports.getOrDefault("http", -1);
            out.printf("Health:  http://localhost:%d/health/ready%nMetrics: http://localhost:%d/metrics%n"
                    + "MQTT:    localhost:%d (anonymous allowed in demo)%n"
                + "Simulated motors publish raw frames on aiot/v1/things/+/raw (bridged to Kafka aiot.raw)%n",
                    http, http, ports.getOrDefault("mqtt", -1));
            out.flush();
        }, out);
    }
}
