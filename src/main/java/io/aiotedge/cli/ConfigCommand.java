package io.aiotedge.cli;

import io.aiotedge.config.ConfigLoader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Configuration tools.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Validate a configuration and print the effective values (secrets redacted).",
                    "Exit 0 when valid, 2 with every problem listed by key otherwise."})
    static final class Check implements Callable<Integer> {
        @Mixin
        NodeOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ConfigLoader.Loaded loaded = options.load(List.of());
            var out = spec.commandLine().getOut();
            for (Map.Entry<String, String> e : loaded.effective().entrySet()) {
                out.println(e.getKey() + " = " + e.getValue());
            }
            for (String k : loaded.unknownKeys()) {
                spec.commandLine().getErr().println("warning: unknown key '" + k + "' is ignored");
            }
            out.println("Configuration is valid.");
            return 0;
        }
    }
}
