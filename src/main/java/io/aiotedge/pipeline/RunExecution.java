package io.aiotedge.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.config.PipelineConfig;
import io.aiotedge.mlops.Dataset;
import io.aiotedge.mlops.TfliteExporter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One run: extract -> validate -> drift -> train -> quantize -> evaluate -> register -> promote,
 * the work of each in {@link Stages}. Each stage's status, timing, metrics and log are published
 * through {@link Publisher} as it goes. A stage that finds nothing to do ends the run as skipped
 * (no drift on a scheduled check); a failing stage ends it as failed with the reason. Runs on the
 * pipeline's one thread.
 */
final class RunExecution {
    static final List<String> STAGES = List.of("extract", "validate", "drift", "train", "quantize", "evaluate",
            "register", "promote");

    interface Publisher {
        void publish(RunStatus status, List<StageRecord> stages, Integer version, String outcome, boolean finished);
    }

    private final boolean force;
    private final Stages work;
    private final Clock clock;
    private final Publisher publisher;
    private final List<StageRecord> stages = new ArrayList<>();

    RunExecution(long runId, String trigger, boolean force, PipelineConfig config, PlatformAccess platform, Clock clock,
            Publisher publisher) {
        this.force = force;
        this.work = new Stages(config, platform, runId, trigger);
        this.clock = clock;
        this.publisher = publisher;
        STAGES.forEach(s -> stages.add(new StageRecord(s)));
    }

    static List<StageRecord> pendingStages() {
        List<StageRecord> out = new ArrayList<>();
        STAGES.forEach(s -> out.add(new StageRecord(s)));
        return out;
    }

    void run() {
        Integer version = null;
        try {
            long to = clock.millis() + 1;
            Extract.Result ex = stage("extract", r -> work.extract(r, to));
            Dataset data = ex.data();
            stage("validate", r -> {
                work.validate(r, data);
                return null;
            });
            PlatformAccess.Champion champion = work.champion();
            stage("drift", r -> work.drift(r, champion, data, force));
            Dataset[] split = work.split(data);
            Stages.Trained trained = stage("train", r -> work.train(r, split[0]));
            TfliteExporter.Int8Model q = stage("quantize", r -> work.quantize(r, trained.net(), split[0]));
            ObjectNode metrics = stage("evaluate",
                    r -> work.evaluate(r, trained.net(), q.tflite(), split[1], champion));
            PlatformAccess.Registered registered = stage("register", r -> work.register(r, q.tflite(),
                    work.metadata(q.input(), trained.net(), metrics, ex.from(), ex.to(), data, ex.trainingSet())));
            version = registered.version();
            String outcome = stage("promote", r -> work.promote(r, registered.version(), champion, metrics));
            publisher.publish(RunStatus.SUCCEEDED, stages, version, outcome, true);
        } catch (Stages.Stop s) {
            publisher.publish(s.runStatus(), stages, version, s.getMessage(), true);
        } catch (Exception e) {
            publisher.publish(RunStatus.FAILED, stages, version, "unexpected: " + e, true);
        }
    }

    private interface Body<T> {
        T run(StageRecord rec) throws Exception;
    }

    private <T> T stage(String name, Body<T> body) throws Stages.Stop {
        StageRecord current = stages.get(STAGES.indexOf(name));
        current.status = StageStatus.RUNNING;
        current.startedAt = clock.millis();
        publisher.publish(RunStatus.RUNNING, stages, null, "stage " + name, false);
        try {
            T out = body.run(current);
            current.status = StageStatus.SUCCEEDED;
            return out;
        } catch (Stages.Stop s) {
            current.status = s.status;
            current.log.add(s.getMessage());
            throw s;
        } catch (Exception e) {
            current.status = StageStatus.FAILED;
            current.log.add(e.getMessage() == null ? e.toString() : e.getMessage());
            throw new Stages.Stop(StageStatus.FAILED,
                    name + " failed: " + (e.getMessage() == null ? e : e.getMessage()));
        } finally {
            current.finishedAt = clock.millis();
        }
    }
}
