package io.aiotedge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.datastore.FeatureRow;
import java.util.List;

/**
 * What the pipeline's stages need from the platform: datastore rows, the champion, registering a
 * version and moving an alias. In a platform process these are the datastore and registry
 * themselves; a stage run on its own ({@code aiot-edge pipeline run --stage}, an Argo step)
 * reaches them through the platform's API.
 */
public interface PlatformAccess {

    /** Up to {@code limit} rows of {@code [from, to)} with id above {@code after}, by id. */
    List<FeatureRow> rows(long from, long to, long after, int limit) throws Exception;

    /** The model's champion, or null when it has none. */
    Champion champion(String model) throws Exception;

    Registered register(String model, byte[] tflite, JsonNode metadata) throws Exception;

    void setAlias(String model, String alias, int version, String reason) throws Exception;

    /**
     * Whether promoting {@code model} goes through a staged rollout ({@code rollout.shadow.*} /
     * {@code rollout.canary.*} set on the platform).
     */
    default boolean staged(String model) throws Exception {
        return false;
    }

    /** Starts a staged rollout of {@code version}; returns its first stage. */
    default String startRollout(String model, int version, String reason) throws Exception {
        throw new UnsupportedOperationException("this platform access cannot start rollouts");
    }

    /**
     * @param reference the drift reference in its lineage, or null
     * @param recordedAccuracy its holdout accuracy when registered, or -1
     * @param content reads the model file, only when a stage scores the champion (evaluate)
     */
    record Champion(int version, JsonNode features, JsonNode reference, double recordedAccuracy, Content content) {
    }

    /** The champion's model bytes, fetched on demand. */
    @FunctionalInterface
    interface Content {
        byte[] read() throws Exception;
    }

    record Registered(int version, String sha256) {
    }
}
