package io.aiotedge.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aiotedge.pipeline.StageRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** deploy/argo's workflow runs the stages the CLI knows, in order, and gates training on the drift file. */
class ArgoWorkflowTest {

    @Test
    void theWorkflowsSteps_areThePipelineStagesInOrder_andTrainingWaitsForDrift() throws Exception {
        JsonNode wf = new ObjectMapper(new YAMLFactory()).readTree(Path.of("deploy/argo/motor-condition-pipeline.yaml")
                .toFile());
        Map<String, JsonNode> templates = new HashMap<>();
        wf.path("spec").path("templates").forEach(t -> templates.put(t.path("name").asText(), t));
        List<String> stages = new ArrayList<>();
        boolean afterDrift = false;
        for (JsonNode group : templates.get("pipeline").path("steps")) {
            for (JsonNode step : group) {
                JsonNode template = templates.get(step.path("template").asText());
                List<String> args = new ArrayList<>();
                template.path("container").path("args").forEach(a -> args.add(a.asText()));
                assertEquals(List.of("pipeline", "run", "--stage"), args.subList(0, 3), step.toString());
                assertTrue(args.contains("--work-dir"), step.toString());
                String stage = args.get(3).startsWith("{{") ? step.path("arguments").path("parameters").get(0)
                        .path("value").asText() : args.get(3);
                stages.add(stage);
                if (afterDrift) {
                    assertEquals("{{steps.drift.outputs.parameters.drifted}} == true", step.path("when").asText(),
                            stage);
                }
                afterDrift |= stage.equals("drift");
            }
        }
        assertEquals(StageRunner.STAGES, stages);
        JsonNode out = templates.get("drift").path("outputs").path("parameters").get(0);
        assertEquals("drifted", out.path("name").asText());
        assertEquals("/work/drifted", out.path("valueFrom").path("path").asText(), "the file the drift stage writes");
    }
}
