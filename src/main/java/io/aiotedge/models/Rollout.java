package io.aiotedge.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * One staged rollout as stored ({@code model_rollouts}). Every clock is a stored instant, so a
 * restarted platform computes the same elapsed time: {@link #elapsedMs} = now (or the pause
 * instant) - {@code stageStartedAt} - {@code pausedMs}.
 *
 * @param stage {@code shadow}, {@code canary}, {@code full} (active) or {@code rolled-back},
 *     {@code aborted}, {@code completed} (final)
 * @param seq the number of the rollout message last sent; grows by one with each
 * @param targeting {@code {devices, percent, nodes, salt}}
 * @param bounds the bounds in force when it started (the config then)
 */
public record Rollout(String id, String name, int version, Integer fromVersion, String stage, boolean paused,
        int seq, JsonNode targeting, JsonNode bounds, long startedAt, String startedBy, long stageStartedAt,
        Long pausedAt, long pausedMs, String decidedBy, String reason, long updatedAt) {
    public static final String SHADOW = "shadow";
    public static final String CANARY = "canary";
    public static final String FULL = "full";
    public static final String ROLLED_BACK = "rolled-back";
    public static final String ABORTED = "aborted";
    public static final String COMPLETED = "completed";
    public static final Set<String> ACTIVE = Set.of(SHADOW, CANARY, FULL);

    public boolean isFinal() {
        return !ACTIVE.contains(stage);
    }

    /** Time spent in the current stage, not counting pauses. */
    public long elapsedMs(long now) {
        long until = paused && pausedAt != null ? pausedAt : now;
        return Math.max(0, until - stageStartedAt - pausedMs);
    }

    /** One entry of its history: who or what moved it, why, on which evidence. */
    public record Event(long at, String actor, String from, String to, String reason, JsonNode evidence) {
    }
}
