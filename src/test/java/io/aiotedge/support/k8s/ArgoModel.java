package io.aiotedge.support.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;

/**
 * The Argo Workflows fields our manifests use, named as in Argo's CRD schema (argoproj.io/v1alpha1
 * Workflow, WorkflowTemplate, CronWorkflow), as strict records: a misspelt or unknown field fails the
 * read. Pod-level types are fabric8's, so containers and volumes are checked as in a pod.
 */
public final class ArgoModel {
    private ArgoModel() {
    }

    /** A Workflow or a WorkflowTemplate (same spec). */
    public record Workflow(String apiVersion, String kind, ObjectMeta metadata, WorkflowSpec spec) {
    }

    public record CronWorkflow(String apiVersion, String kind, ObjectMeta metadata, CronWorkflowSpec spec) {
    }

    public record CronWorkflowSpec(List<String> schedules, String schedule, String timezone, String concurrencyPolicy,
            Long startingDeadlineSeconds, Integer successfulJobsHistoryLimit, Integer failedJobsHistoryLimit,
            Boolean suspend, WorkflowSpec workflowSpec) {
    }

    public record WorkflowSpec(String entrypoint, String serviceAccountName, Metadata podMetadata,
            Map<String, String> nodeSelector, List<Toleration> tolerations, PodSecurityContext securityContext,
            Arguments arguments, List<Volume> volumes, List<PersistentVolumeClaim> volumeClaimTemplates,
            List<Template> templates, TemplateRef workflowTemplateRef) {
    }

    public record Metadata(Map<String, String> labels, Map<String, String> annotations) {
    }

    public record TemplateRef(String name, Boolean clusterScope) {
    }

    public record Arguments(List<Parameter> parameters) {
    }

    public record Parameter(String name, String value, ValueFrom valueFrom) {
    }

    public record ValueFrom(String path) {
    }

    public record Template(String name, List<List<Step>> steps, Inputs inputs, Container container, Outputs outputs) {
    }

    public record Step(String name, String template, String when, Arguments arguments) {
    }

    public record Inputs(List<Parameter> parameters) {
    }

    public record Outputs(List<Parameter> parameters) {
    }
}
