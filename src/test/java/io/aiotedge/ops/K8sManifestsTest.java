package io.aiotedge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.support.k8s.ArgoModel;
import io.aiotedge.support.k8s.KubeManifests;
import io.aiotedge.support.k8s.KubeManifests.Doc;
import io.aiotedge.support.k8s.KustomizeModel;
import io.aiotedge.wire.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerType;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every file under deploy/k8s and deploy/argo reads into its official typed model with no unknown
 * field, and what the manifests say about us is what the code and deploy/jvm.env say: the image
 * tag, the memory limits per profile, the Kafka topics, the Secrets, the placement on labelled
 * boards. The built overlays are checked by {@link KustomizeOverlaysTest}.
 */
class K8sManifestsTest {
    static final Path K8S = Path.of("deploy/k8s");
    static final Toleration KAFKA_TAINT = new Toleration("NoSchedule", "dedicated", "Equal", null, "Kafka");

    /** Every manifest file: YAML under deploy/k8s and deploy/argo, but not the role configs (aiot-edge's own). */
    static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> k8s = Files.walk(K8S); Stream<Path> argo = Files.walk(Path.of("deploy/argo"))) {
            return Stream.concat(k8s, argo).filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getParent().getFileName().toString().equals("config")).sorted().toList();
        }
    }

    static List<Doc> allDocs() throws IOException {
        List<Doc> out = new ArrayList<>();
        for (Path p : manifestFiles()) {
            out.addAll(KubeManifests.read(p));
        }
        return out;
    }

    /** The project version from pom.xml: the image's tag. */
    static String projectVersion() throws IOException {
        var m = java.util.regex.Pattern.compile("<artifactId>aiot-edge</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "pom.xml names its version");
        return m.group(1);
    }

    /** deploy/jvm.env's KEY="value" lines. */
    static Map<String, String> jvmEnv() throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("deploy/jvm.env"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
            }
        }
        return out;
    }

    /** The memory limit deploy/jvm.env gives the profile a container names in AIOT_PROFILE. */
    static String memoryLimitOf(String profile) throws IOException {
        String key = "AIOT_MEMORY_LIMIT_" + profile.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        String limit = jvmEnv().get(key);
        assertNotNull(limit, key + " in deploy/jvm.env");
        return limit;
    }

    static String env(Container c, String name) {
        return c.getEnv() == null ? null
                : c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                        .orElse(null);
    }

    static Doc one(List<Doc> docs, String kind, String name) {
        List<Doc> found = docs.stream().filter(d -> d.kind().equals(kind) && d.name().equals(name)).toList();
        assertTrue(!found.isEmpty(), kind + " " + name);
        return found.get(0);
    }

    @Test
    void everyManifest_readsIntoItsTypedModel_withNoUnknownField() throws IOException {
        Map<String, Long> kinds = allDocs().stream()
                .collect(Collectors.groupingBy(Doc::kind, TreeMap::new, Collectors.counting()));
        assertEquals(Map.ofEntries(Map.entry("CronWorkflow", 1L), Map.entry("DaemonSet", 3L), Map.entry("Kafka", 1L),
                Map.entry("KafkaNodePool", 1L), Map.entry("KafkaTopic", 7L), Map.entry("KafkaUser", 2L),
                Map.entry("Kustomization", 4L), Map.entry("Namespace", 1L), Map.entry("NetworkPolicy", 7L),
                Map.entry("Role", 1L), Map.entry("RoleBinding", 1L), Map.entry("Secret", 5L),
                Map.entry("Service", 4L), Map.entry("ServiceAccount", 1L), Map.entry("StatefulSet", 3L),
                Map.entry("Workflow", 1L), Map.entry("WorkflowTemplate", 1L)), kinds);
    }

    @Test
    void aMisspeltField_isRefused_namingIt() throws IOException {
        Doc platform = one(KubeManifests.read(K8S.resolve("base/platform.yaml")), "StatefulSet", "platform");
        ObjectNode bad = KubeManifests.copy(platform);
        ((ObjectNode) bad.at("/spec/template/spec/containers/0")).put("imagePullPolicyy", "Always");
        var e = assertThrows(IllegalArgumentException.class, () -> KubeManifests.retype(bad, "hostile"));
        assertTrue(e.getMessage().contains("[imagePullPolicyy]"), e.getMessage());

        Doc kafka = one(KubeManifests.read(K8S.resolve("strimzi/kafka.yaml")), "Kafka", "aiot-kafka");
        ObjectNode badKafka = KubeManifests.copy(kafka);
        ((ObjectNode) badKafka.at("/spec/kafka")).put("listenerz", "x");
        e = assertThrows(IllegalArgumentException.class, () -> KubeManifests.retype(badKafka, "hostile"));
        assertTrue(e.getMessage().contains("[listenerz]"), e.getMessage());

        Doc wt = one(KubeManifests.read(K8S.resolve("base/mlops.yaml")), "WorkflowTemplate",
                "motor-condition-pipeline");
        ObjectNode badWt = KubeManifests.copy(wt);
        ((ObjectNode) badWt.at("/spec/templates/1")).put("retryStrategyy", "x");
        var je = assertThrows(IOException.class, () -> KubeManifests.retype(badWt, "hostile"));
        assertTrue(je.getMessage().contains("retryStrategyy"), je.getMessage());
    }

    @Test
    void everyContainer_runsTheImageOfThisVersion_pulledOnlyIfNotPresent() throws IOException {
        String image = "aiot-edge:" + projectVersion();
        int n = 0;
        for (Doc d : allDocs()) {
            for (Container c : KubeManifests.containers(d)) {
                if (c.getImage() != null) {
                    assertEquals(image, c.getImage(), d.source());
                    assertEquals("IfNotPresent", c.getImagePullPolicy(), d.source());
                    n++;
                }
            }
        }
        assertEquals(5, n, "platform, inference, things-gateway, the two Argo templates");
    }

    @Test
    void memoryLimits_areDeployJvmEnvs_forTheProfileTheContainerRuns() throws IOException {
        Set<String> seen = new TreeSet<>();
        for (Doc d : allDocs()) {
            for (Container c : KubeManifests.containers(d)) {
                String profile = env(c, "AIOT_PROFILE");
                Quantity limit = c.getResources() == null ? null : c.getResources().getLimits().get("memory");
                if (profile == null && limit == null) {
                    continue; // a patch that adds only mounts
                }
                assertNotNull(profile, d.source() + ": a memory limit without AIOT_PROFILE");
                String want = memoryLimitOf(profile);
                assertEquals(new Quantity(want), limit, d.source() + " " + profile);
                assertEquals(new Quantity(want), c.getResources().getRequests().get("memory"), d.source());
                seen.add(profile);
            }
        }
        assertEquals(Set.of("inference", "things-gateway", "platform", "platform-external"), seen);
    }

    @Test
    void kafkaTopics_areTheTopicsOfTheCode_replicatedAsTheFleetIs() {
        List<KafkaTopic> topics = KubeManifests.read(K8S.resolve("strimzi/topics.yaml")).stream()
                .map(d -> d.as(KafkaTopic.class)).toList();
        assertEquals(Set.copyOf(Topics.ALL), topics.stream().map(t -> t.getMetadata().getName())
                .collect(Collectors.toSet()));
        for (KafkaTopic t : topics) {
            assertEquals(null, t.getSpec().getTopicName(), "the name is metadata.name");
            assertEquals(3, t.getSpec().getReplicas());
            assertEquals(2, t.getSpec().getConfig().get("min.insync.replicas"));
            assertEquals("aiot-kafka", t.getMetadata().getLabels().get("strimzi.io/cluster"));
        }
    }

    @Test
    void strimzi_isKraftOnTheKafkaBoards_withTheSeedsNodePort() {
        List<Doc> docs = KubeManifests.read(K8S.resolve("strimzi/kafka.yaml"));
        Kafka kafka = one(docs, "Kafka", "aiot-kafka").as(Kafka.class);
        assertEquals(Map.of("strimzi.io/node-pools", "enabled", "strimzi.io/kraft", "enabled"),
                kafka.getMetadata().getAnnotations());
        GenericKafkaListener external = kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> l.getType() == KafkaListenerType.NODEPORT).findFirst().orElseThrow();
        assertEquals(32199, external.getConfiguration().getBootstrap().getNodePort());
        assertTrue(external.isTls());
        KafkaNodePool pool = one(docs, "KafkaNodePool", "dual-role").as(KafkaNodePool.class);
        assertEquals(3, pool.getSpec().getReplicas());
        assertEquals(List.of(KAFKA_TAINT), pool.getSpec().getTemplate().getPod().getTolerations());
    }

    @Test
    void workloads_landOnTheBoardsTheSeedLabels() throws IOException {
        List<Doc> base = new ArrayList<>();
        for (String f : List.of("platform.yaml", "inference.yaml", "things-gateway.yaml", "mlops.yaml")) {
            base.addAll(KubeManifests.read(K8S.resolve("base").resolve(f)));
        }
        Doc platform = one(base, "StatefulSet", "platform");
        assertEquals(Map.of("controlnode", "active"), KubeManifests.podSpec(platform).getNodeSelector());
        var claim = platform.as(StatefulSet.class).getSpec().getVolumeClaimTemplates().get(0);
        assertEquals("longhorn", claim.getSpec().getStorageClassName());
        assertEquals("/var/lib/aiot-edge", KubeManifests.containers(platform).get(0).getVolumeMounts().stream()
                .filter(m -> m.getName().equals(claim.getMetadata().getName())).findFirst().orElseThrow()
                .getMountPath());
        PodSpec inference = KubeManifests.podSpec(one(base, "DaemonSet", "inference"));
        assertEquals(Map.of("tpuAccelerator", "true"), inference.getNodeSelector());
        assertEquals(List.of(KAFKA_TAINT), inference.getTolerations());
        ArgoModel.Workflow mlops = one(base, "WorkflowTemplate", "motor-condition-pipeline")
                .as(ArgoModel.Workflow.class);
        assertEquals(Map.of("gpuAccelerator", "true"), mlops.spec().nodeSelector());
        for (String role : List.of("platform", "inference", "things-gateway")) {
            Doc d = base.stream().filter(x -> x.name().equals(role) && KubeManifests.podSpec(x) != null)
                    .findFirst().orElseThrow();
            assertEquals(10001L, KubeManifests.podSpec(d).getSecurityContext().getRunAsUser(), role);
        }
    }

    @Test
    void everySecretTheManifestsRead_isInTheExample_orMadeByStrimzi() throws IOException {
        Map<String, Set<String>> known = new TreeMap<>();
        for (Doc d : KubeManifests.read(K8S.resolve("secrets/secrets.example.yaml"))) {
            known.put(d.name(), d.as(Secret.class).getStringData().keySet());
        }
        known.merge("inference", Set.of("password", "sasl.jaas.config"), (a, b) -> a); // the KafkaUsers' secrets
        known.put("platform", Set.of("password", "sasl.jaas.config"));
        known.put("aiot-kafka-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password"));
        List<String> refs = new ArrayList<>();
        for (Doc d : allDocs()) {
            secretRefs(d.tree(), refs);
        }
        assertEquals(14, new TreeSet<>(refs).size(), refs.toString());
        for (String ref : refs) {
            String[] p = ref.split("/", 2);
            assertTrue(known.containsKey(p[0]) && known.get(p[0]).contains(p[1]), "unknown secret key " + ref);
        }
    }

    /** name/key of every secretKeyRef and secret volume item in a tree. */
    private static void secretRefs(com.fasterxml.jackson.databind.JsonNode n, List<String> out) {
        if (n.has("secretKeyRef")) {
            out.add(n.at("/secretKeyRef/name").asText() + "/" + n.at("/secretKeyRef/key").asText());
        }
        if (n.has("secretName") && n.has("items")) {
            ((ArrayNode) n.get("items")).forEach(i -> out.add(n.get("secretName").asText() + "/" + i.at("/key")
                    .asText()));
        }
        n.forEach(c -> secretRefs(c, out));
    }

    @Test
    void everyPathAKustomizationNames_exists() throws IOException {
        int n = 0;
        for (Path p : manifestFiles()) {
            if (!p.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            var k = KubeManifests.read(p).get(0).as(KustomizeModel.Kustomization.class);
            assertEquals("architectsguide2aiot", k.namespace(), p.toString());
            List<String> paths = new ArrayList<>(k.resources());
            if (k.patches() != null) {
                k.patches().forEach(x -> paths.add(x.path()));
            }
            if (k.configMapGenerator() != null) {
                k.configMapGenerator().forEach(g -> paths.addAll(g.files()));
            }
            for (String rel : paths) {
                assertTrue(Files.exists(p.getParent().resolve(rel)), p + " names " + rel);
                n++;
            }
        }
        assertEquals(23, n);
    }

    @Test
    void theProbesPaths_areServedByTheHttpComponent() throws IOException {
        String http = Files.readString(Path.of("src/main/java/io/aiotedge/http/HttpComponent.java"));
        Set<String> paths = new TreeSet<>();
        for (Doc d : allDocs()) {
            for (Container c : KubeManifests.containers(d)) {
                Stream.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())
                        .filter(p -> p != null).forEach(p -> paths.add(p.getHttpGet().getPath()));
            }
        }
        assertEquals(Set.of("/health/live", "/health/ready"), paths);
        paths.forEach(p -> assertTrue(http.contains("app.get(\"" + p + "\""), p));
    }
}
