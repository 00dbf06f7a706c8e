package io.aiotedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.inference.ConditionTracker.Band;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ShadowStatsTest {
    @Test
    void record_countsAgreementFailuresAccuracyAndDeciles_perDevice() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ShadowStats s = new ShadowStats(meters);
        // champion OK and right on a healthy motor; candidate calls FAILURE (wrong) three times
        for (int i = 0; i < 3; i++) {
            s.record("ro-1", new ShadowStats.Sample("m1", 4, 0.1f, Band.OK, false, 0.97f, Band.FAILURE, i == 0, false,
                    "healthy"));
        }
        s.record("ro-1", new ShadowStats.Sample("m1", 4, 0.2f, Band.OK, false, 0.3f, Band.OK, true, false, null));
        JsonNode row = s.report().get(0);
        assertEquals("m1", row.get("device").asText());
        assertEquals(4, row.get("windows").asInt());
        assertEquals(1, row.get("agree").asInt());
        assertEquals(0, row.get("championFailure").asInt());
        assertEquals(3, row.get("candidateFailure").asInt());
        assertEquals(3, row.get("candidateFailureOnChampionOk").asInt());
        assertEquals(2, row.get("candidateBandChanges").asInt());
        assertEquals(3, row.get("labelled").asInt());
        assertEquals(3, row.get("championCorrect").asInt());
        assertEquals(0, row.get("candidateCorrect").asInt());
        assertEquals(3, row.get("deciles").get(9).asInt());
        assertEquals(1, row.get("deciles").get(3).asInt());
        assertEquals(4.0, meters.get("aiot_inference_shadow_windows_total").counter().count());
        assertEquals(3.0, meters.get("aiot_inference_shadow_disagreements_total").counter().count());
        assertEquals(3.0, meters.get("aiot_inference_shadow_false_failures_total").counter().count());
    }

    @Test
    void record_newRollout_startsFromZero() {
        ShadowStats s = new ShadowStats(new SimpleMeterRegistry());
        s.record("ro-1", new ShadowStats.Sample("m1", 4, 0.1f, Band.OK, false, 0.1f, Band.OK, false, false, null));
        s.record("ro-2", new ShadowStats.Sample("m2", 4, 0.1f, Band.OK, false, 0.1f, Band.OK, false, false, null));
        assertEquals(1, s.report().size());
        assertEquals("m2", s.report().get(0).get("device").asText());
        assertEquals("ro-2", s.rolloutId());
    }
}
