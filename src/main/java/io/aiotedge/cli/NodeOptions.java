package io.aiotedge.cli;

import io.aiotedge.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by every command that loads the node configuration. */
public final class NodeOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (defaults are built in).")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (same as --set dataDir=DIR).")
    Path dataDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one config key, e.g. --set mqtt.port=0. Repeatable.")
    List<String> overrides = new ArrayList<>();

    /** Loads with {@code first} overrides applied before the user's own {@code --set}s. */
    ConfigLoader.Loaded load(List<String> first) {
        List<String> all = new ArrayList<>(first);
        all.addAll(overrides);
        if (dataDir != null) {
            all.add("dataDir=" + dataDir);
        }
        return new ConfigLoader().load(config, all);
    }
}
