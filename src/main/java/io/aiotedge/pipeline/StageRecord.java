package io.aiotedge.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stage of a run as recorded: status ({@link StageStatus}), timing (epoch ms), metrics, and
 * log lines. Mutable while its run executes (by the run's one
 * thread); published as JSON after every change.
 */
public final class StageRecord {
    public String name;
    public StageStatus status = StageStatus.PENDING;
    public Long startedAt;
    public Long finishedAt;
    public Map<String, Object> metrics = new LinkedHashMap<>();
    public List<String> log = new ArrayList<>();

    public StageRecord() {
    }

    StageRecord(String name) {
        this.name = name;
    }
}
