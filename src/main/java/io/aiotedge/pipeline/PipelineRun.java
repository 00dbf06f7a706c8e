package io.aiotedge.pipeline;

import java.util.List;

/**
 * A pipeline run as recorded.
 *
 * @param trigger manual, schedule, or drift
 * @param status queued, running, succeeded (a model was registered), skipped (nothing to do, e.g.
 *     no drift), failed
 * @param modelVersion the registered version, or null
 * @param outcome one line: what happened
 */
public record PipelineRun(long id, String trigger, RunStatus status, long startedAt, Long finishedAt,
        List<StageRecord> stages, Integer modelVersion, String outcome) {
}
