package io.aiotedge.support.k8s;

import java.util.List;
import java.util.Map;

/**
 * The kustomization fields our overlays use (kustomize.config.k8s.io/v1beta1), as strict records,
 * so a misspelt field fails instead of being ignored by kustomize.
 */
public final class KustomizeModel {
    private KustomizeModel() {
    }

    public record Kustomization(String apiVersion, String kind, String namespace, List<Labels> labels,
            List<String> resources, List<Generator> configMapGenerator, List<Patch> patches) {
    }

    public record Labels(Map<String, String> pairs, Boolean includeSelectors, Boolean includeTemplates) {
    }

    public record Generator(String name, String behavior, List<String> files) {
    }

    public record Patch(String path) {
    }
}
