package io.aiotedge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.datastore.FeatureRow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The training-set hash recorded at extract time names exactly the rows trained on. */
class TrainingSetHashTest {
    private static List<FeatureRow> rows(double changed) {
        List<FeatureRow> out = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            out.add(new FeatureRow(i, "k" + i, "motor-00" + (i % 3), 1000L * i, null, i % 5 == 0 ? "bearing-wear"
                    : "healthy", List.of("current_rms", "vibration_rms"),
                    new double[] {1.0 + i, i == 17 ? changed
                            : 0.5},
                    "test"));
        }
        return out;
    }

    @Test
    void sameRows_sameHash_andOneChangedValueOrLabelOrOrder_changesIt() {
        ObjectNode a = TrainingSetHash.of(rows(0.5), 99);
        assertEquals(a, TrainingSetHash.of(rows(0.5), 99));
        assertEquals(50, a.get("rows").asInt());
        assertEquals(1, a.get("firstId").asLong());
        assertEquals(50, a.get("lastId").asLong());
        assertEquals(64, a.get("sha256").asText().length());
        assertNotEquals(a.get("sha256"), TrainingSetHash.of(rows(0.5000000001), 99).get("sha256"));
        List<FeatureRow> relabelled = rows(0.5);
        FeatureRow r = relabelled.get(3);
        relabelled.set(3, new FeatureRow(r.id(), r.dedupeKey(), r.deviceId(), r.timestamp(), null, "winding-short",
                r.names(), r.values(), r.source()));
        assertNotEquals(a.get("sha256"), TrainingSetHash.of(relabelled, 99).get("sha256"));
        List<FeatureRow> reordered = rows(0.5);
        java.util.Collections.swap(reordered, 0, 1);
        assertNotEquals(a.get("sha256"), TrainingSetHash.of(reordered, 99).get("sha256"));
        assertEquals(0, TrainingSetHash.of(List.of(), 1).get("rows").asInt());
    }
}
