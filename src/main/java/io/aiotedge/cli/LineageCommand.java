package io.aiotedge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aiot-edge models lineage verify NAME VERSION} (docs/pipeline.md, "Audit"). */
@Command(name = "lineage", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A model version's lineage: re-check its training data.",
        subcommands = {LineageCommand.Verify.class})
final class LineageCommand {
    /** Exit codes beside 0 (match), 1 (runtime failure, e.g. an unknown version) and 2 (bad usage). */
    static final int MISMATCH = 3;
    static final int CANNOT_TELL = 4;

    private LineageCommand() {
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Re-read the datastore rows a version was trained on and compare their hash with the one",
                    "recorded at extract time. Exit 0 = the same, 3 = changed, 4 = cannot tell (no hash recorded,",
                    "or retention deleted the rows), 1 = failure (e.g. no such version)."})
    static final class Verify implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Model name")
        String name;
        @Parameters(index = "1", description = "Version number")
        int version;

        @Override
        public Integer call() throws Exception {
            JsonNode r = api.get(ApiPaths.of("models", name, "versions", version, "lineage", "verify"));
            PrintWriter out = spec.commandLine().getOut();
            return print(out, name + " v" + version, r);
        }
    }

    static int print(PrintWriter out, String label, JsonNode r) {
        JsonNode match = r.path("match");
        String verdict = match.isBoolean() ? (match.asBoolean() ? "MATCH    " : "MISMATCH ") : "UNKNOWN  ";
        out.println(verdict + label + ": " + r.path("reason").asText());
        out.println("  recorded: " + r.path("recorded"));
        out.println("  now:      " + r.path("now"));
        return !match.isBoolean() ? CANNOT_TELL : match.asBoolean() ? 0 : MISMATCH;
    }
}
