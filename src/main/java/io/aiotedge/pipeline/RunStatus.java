package io.aiotedge.pipeline;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a pipeline run is: {@code queued -> running -> succeeded} (a model was registered),
 * {@code skipped} (nothing to do, e.g. no drift) or {@code failed}. The lower-case spelling is
 * the one in the database's {@code status} column, the API's JSON, the
 * {@code aiot_pipeline_runs_total} outcome label and what the CLI prints.
 */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, SKIPPED, FAILED;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The spelling in JSON, the database and output, e.g. {@code succeeded}. */
    @JsonValue
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }

    /** The status spelt {@code wire}; an {@link IllegalArgumentException} for any other text. */
    public static RunStatus fromWire(String wire) {
        for (RunStatus s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown pipeline run status '" + wire + "'");
    }
}
