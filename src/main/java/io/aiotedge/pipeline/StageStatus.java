package io.aiotedge.pipeline;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a stage of a run is: {@code pending -> running -> succeeded | skipped | failed}. The
 * lower-case spelling is the one in JSON (the API, {@code stage-NAME.json}, the database's
 * {@code stages} column) and in what the CLI prints.
 */
public enum StageStatus {
    PENDING, RUNNING, SUCCEEDED,
    /** nothing to do (no drift): ends the run as {@link RunStatus#SKIPPED} */
    SKIPPED, FAILED;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The spelling in JSON and output, e.g. {@code succeeded}. */
    @JsonValue
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
