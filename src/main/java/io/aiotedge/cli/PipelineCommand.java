package io.aiotedge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.PipelineConfig;
import io.aiotedge.pipeline.RunStatus;
import io.aiotedge.pipeline.StageRecord;
import io.aiotedge.pipeline.StageRunner;
import io.aiotedge.pipeline.StageStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code aiot-edge pipeline run|list}: start an MLOps run on a platform and follow its stages. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "MLOps pipeline client (talks to a running platform's API).",
        subcommands = {PipelineCommand.Run.class, PipelineCommand.ListRuns.class})
final class PipelineCommand {

    @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {
                    "Start a run: extract -> validate -> drift -> train -> quantize -> evaluate -> register -> promote.",
                    "Shows each stage as it finishes. Exit 0 when a model was registered or there was nothing to do, 1 when it failed.",
                    "With --stage, runs that one stage here, over files in --work-dir (an Argo step; docs/pipeline.md)."})
    static final class Run implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;
        @Option(names = "--force", arity = "0..1",
                description = "Train even when the data has not drifted (--force or --force=true|false).")
        boolean force;
        @Option(names = "--no-wait", description = "Print the run id and return.")
        boolean noWait;
        @Option(names = "--timeout", defaultValue = "600",
                description = "Seconds to follow the run (default: ${DEFAULT-VALUE}).")
        int timeout;
        @Option(names = "--stage", paramLabel = "NAME",
                description = "Run only this stage, here: one of ${COMPLETION-CANDIDATES}.",
                completionCandidates = StageNames.class)
        String stage;
        @Option(names = "--work-dir", paramLabel = "DIR",
                description = "With --stage: where stages read and write their files.")
        Path workDir;
        @Option(names = "--config", paramLabel = "FILE",
                description = "With --stage: YAML config for the pipeline.* keys.")
        Path config;
        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "With --stage: override a pipeline.* key. Repeatable.")
        List<String> sets = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (stage != null) {
                return runStage(out);
            }
            JsonNode started = api.postJson("/api/v1/pipeline/runs", "{\"force\":" + force + "}");
            long id = started.path("id").asLong();
            out.println("pipeline run " + id + " queued");
            out.flush();
            if (noWait) {
                return 0;
            }
            long deadline = System.nanoTime() + timeout * 1_000_000_000L;
            int shown = 0;
            while (System.nanoTime() < deadline) {
                JsonNode run = api.get(ApiPaths.of("pipeline", "runs", id));
                JsonNode stages = run.path("stages");
                for (; shown < stages.size(); shown++) {
                    JsonNode st = stages.get(shown);
                    String s = st.path("status").asText();
                    if (s.equals(StageStatus.PENDING.wire()) || s.equals(StageStatus.RUNNING.wire())) {
                        break;
                    }
                    long ms = st.path("finishedAt").asLong() - st.path("startedAt").asLong();
                    out.printf(Locale.ROOT, "  %-9s %-9s %6d ms  %s%n", st.path("name").asText(), s, ms,
                            st.path("metrics"));
                    st.path("log").forEach(l -> out.println("            " + l.asText()));
                }
                out.flush();
                String status = run.path("status").asText();
                if (!status.equals(RunStatus.QUEUED.wire()) && !status.equals(RunStatus.RUNNING.wire())) {
                    out.println("run " + id + " " + status + ": " + run.path("outcome").asText());
                    return status.equals(RunStatus.FAILED.wire()) ? 1 : 0;
                }
                Thread.sleep(300);
            }
            out.println("run " + id + " still running after " + timeout + " s");
            return 1;
        }

        private int runStage(PrintWriter out) throws Exception {
            if (!StageRunner.STAGES.contains(stage)) {
                throw new ParameterException(spec.commandLine(), "--stage must be one of " + StageRunner.STAGES
                        + ", got '" + stage + "'");
            }
            if (workDir == null) {
                throw new ParameterException(spec.commandLine(), "--stage needs --work-dir");
            }
            PipelineConfig pc = new ConfigLoader().load(config, sets).config().pipeline();
            StageRecord r = new StageRunner(pc, new ApiPlatformAccess(api), workDir, Clock.systemUTC())
                    .run(stage, force);
            out.printf(Locale.ROOT, "  %-9s %-9s %6d ms  %s%n", r.name, r.status, r.finishedAt - r.startedAt,
                    r.metrics);
            r.log.forEach(l -> out.println("            " + l));
            out.flush();
            return r.status == StageStatus.FAILED ? 1 : 0;
        }
    }

    /** The stage names, for --help and completion. */
    static final class StageNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return StageRunner.STAGES.iterator();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Recent runs, newest first.")
    static final class ListRuns implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            for (JsonNode r : api.get("/api/v1/pipeline/runs").path("runs")) {
                out.printf(Locale.ROOT, "%-5d %-9s %-9s %s%n", r.path("id").asLong(), r.path("trigger").asText(),
                        r.path("status").asText(), r.path("outcome").asText());
            }
            return 0;
        }
    }
}
