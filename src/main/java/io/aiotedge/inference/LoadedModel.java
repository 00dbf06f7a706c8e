package io.aiotedge.inference;

import io.aiotedge.tflite.Inference;
import java.util.List;

/**
 * A verified model ready to score: its identity, its input feature names, and the engine. The
 * engine is not thread-safe, so {@link #score} serialises calls on it.
 */
public final class LoadedModel implements AutoCloseable {
    private final String name;
    private final int version;
    private final String sha256;
    private final List<String> features;
    private final Inference engine;
    private final String lineageId;

    LoadedModel(String name, int version, String sha256, List<String> features, Inference engine) {
        this(name, version, sha256, features, engine, null);
    }

    /** @param lineageId the registry's 16-hex lineage id of the version, or null when it announced none */
    LoadedModel(String name, int version, String sha256, List<String> features, Inference engine,
            String lineageId) {
        this.name = name;
        this.version = version;
        this.sha256 = sha256;
        this.features = List.copyOf(features);
        this.engine = engine;
        this.lineageId = lineageId;
    }

    /** The registry's lineage id (run, data range, training-set hash), or null. */
    public String lineageId() {
        return lineageId;
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    public String sha256() {
        return sha256;
    }

    public List<String> features() {
        return features;
    }

    public String backend() {
        return engine.backend();
    }

    public synchronized float score(float[] input) {
        return engine.predict(input)[0];
    }

    @Override
    public synchronized void close() {
        engine.close();
    }
}
