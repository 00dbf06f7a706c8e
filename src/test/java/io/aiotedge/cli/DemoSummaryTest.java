package io.aiotedge.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** The demo's summary line counts as shipped only what reached the fleet as champion. */
class DemoSummaryTest {
    @Test
    void line_runsThatOnlyRegisteredACandidate_areNotShipped() {
        String metrics = String.join("\n",
                "aiot_pipeline_runs_total{outcome=\"succeeded\"} 3.0",
                "aiot_pipeline_runs_total{outcome=\"skipped\"} 2.0",
                "aiot_pipeline_runs_total{outcome=\"failed\"} 0.0",
                "aiot_models_registered_total 3.0",
                "aiot_models_champion_changes_total 1.0",
                "aiot_inference_model_version{model=\"motor-condition\"} 1.0", "");
        String line = DemoSummary.line(metrics, LocalTime.of(12, 0));
        assertTrue(line.endsWith("| pipeline runs 5 (1 shipped)"), line);
        assertTrue(line.contains("model: motor-condition v1"), line);
    }
}
