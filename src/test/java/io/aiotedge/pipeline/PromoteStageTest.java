package io.aiotedge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.config.PipelineConfig;
import io.aiotedge.datastore.FeatureRow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The promote stage: one step to champion by default, a staged rollout when the platform asks
 * for one (rollout.shadow/canary configured), and never a rollout for the first champion.
 */
class PromoteStageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Records what the stage asked of the platform. */
    private static final class Recording implements PlatformAccess {
        final boolean staged;
        final List<String> calls = new ArrayList<>();

        Recording(boolean staged) {
            this.staged = staged;
        }

        @Override
        public List<FeatureRow> rows(long from, long to, long after, int limit) {
            return List.of();
        }

        @Override
        public Champion champion(String model) {
            return null;
        }

        @Override
        public Registered register(String model, byte[] tflite, JsonNode metadata) {
            return new Registered(1, "ab");
        }

        @Override
        public void setAlias(String model, String alias, int version, String reason) {
            calls.add(alias + " v" + version);
        }

        @Override
        public boolean staged(String model) {
            return staged;
        }

        @Override
        public String startRollout(String model, int version, String reason) {
            calls.add("rollout v" + version);
            return "shadow";
        }
    }

    private static String promote(Recording platform, boolean hasChampion) throws Exception {
        PipelineConfig config = new PipelineConfig(true, "motor", 0, 1, 10, 1, 0.2, 0.9, 0.0, 0.25, 0.3,
                PipelineConfig.Trainer.LOGISTIC, List.of(8), 200);
        PlatformAccess.Champion champion = hasChampion ? new PlatformAccess.Champion(4, null, null, 0.95, null)
                : null;
        JsonNode metrics = JSON.readTree("{\"accuracy\": 0.99, \"championAccuracyNow\": 0.95}");
        return new Stages(config, platform, 7, "schedule").promote(new StageRecord("promote"), 5, champion, metrics);
    }

    @Test
    void promote_defaultIsOneStepToChampion_stagedStartsARollout_firstChampionNeverStaged() throws Exception {
        Recording plain = new Recording(false);
        assertEquals("motor v5 is champion: accuracy 0.9900 beats the champion's 0.9500 on the same holdout",
                promote(plain, true));
        assertEquals(List.of("champion v5"), plain.calls);
        Recording staged = new Recording(true);
        assertEquals("motor v5 in shadow: accuracy 0.9900 beats the champion's 0.9500 on the same holdout",
                promote(staged, true));
        assertEquals(List.of("rollout v5"), staged.calls);
        Recording first = new Recording(true);
        promote(first, false);
        assertEquals(List.of("champion v5"), first.calls);
    }
}
