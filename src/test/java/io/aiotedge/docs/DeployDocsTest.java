package io.aiotedge.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.support.k8s.KubeManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/deploy.md: its YAML examples read into the typed models as the manifests do, and its paths exist. */
class DeployDocsTest {

    @Test
    void everyYamlExample_readsIntoItsTypedModel_withNoUnknownField() throws Exception {
        List<String> kinds = new ArrayList<>();
        for (String yaml : DocsExamplesTest.blocks("docs/deploy.md", "yaml")) {
            KubeManifests.parse(yaml, "docs/deploy.md").forEach(d -> kinds.add(d.kind()));
        }
        assertEquals(List.of("Kustomization", "DaemonSet"), kinds);
    }

    @Test
    void theFilesThePageNames_exist() throws Exception {
        String page = Files.readString(Path.of("docs/deploy.md"));
        for (String f : List.of("deploy/k8s/secrets/secrets.example.yaml", "deploy/argo/motor-condition-pipeline.yaml",
                "deploy/k8s/overlays/reference-cluster", "deploy/k8s/overlays/single-node", "scripts/build-image.sh")) {
            assertTrue(page.contains(f.replace("deploy/k8s/overlays/", "overlays/")) && Files.exists(Path.of(f)), f);
        }
    }
}
