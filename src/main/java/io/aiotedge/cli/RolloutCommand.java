package io.aiotedge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aiot-edge models rollout start|status|pause|resume|abort} (docs/platform.md, "Rollouts"). */
@Command(name = "rollout", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Staged rollouts of a model version: shadow, canary, full.",
        subcommands = {RolloutCommand.Start.class, RolloutCommand.Status.class, RolloutCommand.Pause.class,
                RolloutCommand.Resume.class, RolloutCommand.Abort.class})
final class RolloutCommand {
    private static final Json JSON = Json.mapper();

    private RolloutCommand() {
    }

    static String base(String name) {
        return ApiPaths.of("models", name, "rollouts");
    }

    /** The rollout {@code id}, or else the model's newest one. */
    static String idOrNewest(ApiClient api, String name, String id) throws IOException, InterruptedException {
        if (id != null) {
            return id;
        }
        JsonNode all = api.get(base(name)).path("rollouts");
        if (all.isEmpty()) {
            throw new ApiClient.ApiError("model " + name + " has no rollouts");
        }
        return all.get(0).path("id").asText();
    }

    static void print(PrintWriter out, JsonNode r) {
        out.printf(Locale.ROOT, "%s %s v%s (from v%s): %s%s, %.1f min in stage%n", r.path("id").asText(),
                r.path("name").asText(), r.path("version").asText(), r.path("fromVersion").asText(),
                r.path("stage").asText(), r.path("paused").asBoolean() ? " (paused)" : "",
                r.path("elapsedMs").asLong() / 60_000.0);
        if (!r.path("reason").isNull() && !r.path("reason").asText().isEmpty()) {
            out.println("  " + r.path("decidedBy").asText() + ": " + r.path("reason").asText());
        }
        out.println("  per version: " + r.path("perVersion"));
        out.println("  shadow: " + r.path("evidence").path("shadow"));
        out.println("  canary: " + r.path("evidence").path("canary"));
        for (JsonNode e : r.path("events")) {
            out.println("  " + e.path("at").asText() + " " + e.path("actor").asText() + ": " + e.path("from").asText()
                    + " -> " + e.path("to").asText() + " (" + e.path("reason").asText() + ")");
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Start a rollout of a version; unset targeting comes from rollout.canary.*.")
    static final class Start implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Model name")
        String name;
        @Parameters(index = "1", description = "Version number")
        int version;
        @Option(names = "--devices", split = ",", description = "Canary device ids (comma-separated).")
        List<String> devices;
        @Option(names = "--percent", description = "Canary share of devices, 0-100.")
        Double percent;
        @Option(names = "--nodes", split = ",", description = "Inference nodes whose devices are all in the canary.")
        List<String> nodes;
        @Option(names = "--force", description = "Skip the shadow stage (never the canary).")
        boolean force;
        @Option(names = "--reason", description = "Recorded in the rollout's history.")
        String reason;

        @Override
        public Integer call() throws Exception {
            ObjectNode b = JSON.createObjectNode().put("version", version).put("force", force);
            if (devices != null) {
                b.set("devices", JSON.valueToTree(devices));
            }
            if (percent != null) {
                b.put("percent", percent);
            }
            if (nodes != null) {
                b.set("nodes", JSON.valueToTree(nodes));
            }
            if (reason != null) {
                b.put("reason", reason);
            }
            print(spec.commandLine().getOut(), api.postJson(base(name), b.toString()));
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Show a rollout (default: the model's newest) with its evidence and history.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Model name")
        String name;
        @Parameters(index = "1", arity = "0..1", description = "Rollout id")
        String id;

        @Override
        public Integer call() throws Exception {
            print(spec.commandLine().getOut(), api.get(base(name) + "/" + ApiPaths.segment(idOrNewest(api, name, id))));
            return 0;
        }
    }

    /** pause, resume and abort: a POST on the rollout. */
    abstract static class Action implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Model name")
        String name;
        @Parameters(index = "1", arity = "0..1", description = "Rollout id (default: the model's newest)")
        String id;

        abstract String action();

        @Override
        public Integer call() throws Exception {
            String path = base(name) + "/" + ApiPaths.segment(idOrNewest(api, name, id)) + "/" + action();
            print(spec.commandLine().getOut(), api.postJson(path, "{}"));
            return 0;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Pause a rollout: its stage clock stops.")
    static final class Pause extends Action {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Resume a paused rollout.")
    static final class Resume extends Action {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Abort a rollout: the candidate is dropped everywhere.")
    static final class Abort extends Action {
        @Override
        String action() {
            return "abort";
        }
    }
}
