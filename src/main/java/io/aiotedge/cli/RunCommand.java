package io.aiotedge.cli;

import io.aiotedge.core.NodeRole;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run a node with the given roles until SIGTERM/Ctrl-C (exit 0 on a clean stop).")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--role", required = true, paramLabel = "ROLE[,ROLE...]",
            converter = RoleListConverter.class,
            description = "platform, inference, things-gateway (comma-separated).")
    Set<NodeRole> roles;

    @Mixin
    NodeOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return NodeLauncher.runUntilSignalled(options.load(List.of()), roles, ports -> {}, spec.commandLine().getOut());
    }
}
