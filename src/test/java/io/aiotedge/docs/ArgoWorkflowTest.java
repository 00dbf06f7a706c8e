package io.aiotedge.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.pipeline.StageRunner;
import io.aiotedge.support.k8s.ArgoModel;
import io.aiotedge.support.k8s.KubeManifests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's WorkflowTemplate (deploy/k8s/base/mlops.yaml) runs the stages the CLI knows, in
 * order, and gates training on the drift file; deploy/argo's Workflow and the CronWorkflow run it.
 */
class ArgoWorkflowTest {
    private static final String TEMPLATE = "motor-condition-pipeline";

    @Test
    void theTemplatesSteps_areThePipelineStagesInOrder_andTrainingWaitsForDrift() {
        ArgoModel.Workflow wf = KubeManifests.read(Path.of("deploy/k8s/base/mlops.yaml")).stream()
                .filter(d -> d.kind().equals("WorkflowTemplate")).findFirst().orElseThrow()
                .as(ArgoModel.Workflow.class);
        assertEquals(TEMPLATE, wf.metadata().getName());
        Map<String, ArgoModel.Template> templates = new HashMap<>();
        wf.spec().templates().forEach(t -> templates.put(t.name(), t));
        List<String> stages = new ArrayList<>();
        boolean afterDrift = false;
        for (List<ArgoModel.Step> group : templates.get(wf.spec().entrypoint()).steps()) {
            for (ArgoModel.Step step : group) {
                List<String> args = templates.get(step.template()).container().getArgs();
                assertEquals(List.of("pipeline", "run", "--stage"), args.subList(0, 3), step.toString());
                assertTrue(args.contains("--work-dir"), step.toString());
                String stage = args.get(3).startsWith("{{") ? step.arguments().parameters().get(0).value()
                        : args.get(3);
                stages.add(stage);
                if (afterDrift) {
                    assertEquals("{{steps.drift.outputs.parameters.drifted}} == true", step.when(), stage);
                }
                afterDrift |= stage.equals("drift");
            }
        }
        assertEquals(StageRunner.STAGES, stages);
        ArgoModel.Parameter out = templates.get("drift").outputs().parameters().get(0);
        assertEquals("drifted", out.name());
        assertEquals("/work/drifted", out.valueFrom().path(), "the file the drift stage writes");
    }

    @Test
    void theWorkflowAndTheSchedule_runTheTemplate() {
        ArgoModel.Workflow once = KubeManifests.read(Path.of("deploy/argo/motor-condition-pipeline.yaml")).get(0)
                .as(ArgoModel.Workflow.class);
        assertEquals(TEMPLATE, once.spec().workflowTemplateRef().name());
        ArgoModel.CronWorkflow cron = KubeManifests.read(Path.of("deploy/k8s/base/mlops.yaml")).stream()
                .filter(d -> d.kind().equals("CronWorkflow")).findFirst().orElseThrow()
                .as(ArgoModel.CronWorkflow.class);
        assertEquals(TEMPLATE, cron.spec().workflowSpec().workflowTemplateRef().name());
        assertEquals("Forbid", cron.spec().concurrencyPolicy(), "one run at a time, as in the platform");
        assertEquals(List.of("0 */6 * * *"), cron.spec().schedules());
    }
}
