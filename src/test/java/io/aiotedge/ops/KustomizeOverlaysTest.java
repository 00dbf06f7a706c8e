package io.aiotedge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aiotedge.certs.PlantCa;
import io.aiotedge.certs.SubjectNames;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.support.Proc;
import io.aiotedge.support.k8s.KubeManifests;
import io.aiotedge.support.k8s.KubeManifests.Doc;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overlays as kustomize builds them ({@code kubectl kustomize}, skipped without kubectl): every
 * object typed and in the namespace, every container's memory limit the one deploy/jvm.env gives
 * its profile, and each role's config from the generated ConfigMap loads without unknown keys, gets
 * every {@code ${ENV:...}} it names from its container, and is served on the ports and with the
 * scheme the container's ports and probes use; the NetworkPolicies let in exactly those ports.
 */
class KustomizeOverlaysTest {
    static final String NAMESPACE = "architectsguide2aiot";
    static final String PLATFORM_DNS = "platform-0.platform.architectsguide2aiot.svc.cluster.local";
    private static final String HASH = new PasswordHasher(new SecureRandom(), 10_000).hash("x".toCharArray());

    @TempDir
    Path certs;
    String storePassword;

    static List<Doc> build(String overlay) throws Exception {
        assumeTrue(Proc.available("kubectl"), "kubectl not on PATH: the overlays' build is not checked here "
                + "(K8sManifestsTest still reads every file)");
        Path out = Files.createTempFile("kustomize-" + overlay, ".yaml");
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", "deploy/k8s/overlays/" + overlay)
                    .redirectOutput(out.toFile()).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + overlay + " within 60 s");
            assertEquals(0, p.exitValue(), "kubectl kustomize " + overlay);
            return KubeManifests.parse(Files.readString(out, StandardCharsets.UTF_8), "kustomize " + overlay);
        } finally {
            Files.delete(out);
        }
    }

    @Test
    void singleNode_buildsThePlatformWithEmbeddedKafka_onThePlatformBudget() throws Exception {
        List<Doc> docs = build("single-node");
        assertEquals(19, docs.size(), kinds(docs).toString());
        assertEquals(0, docs.stream().filter(d -> d.kind().startsWith("Kafka")).count(), "no Strimzi");
        checkOverlay(docs, "platform");
    }

    @Test
    void referenceCluster_buildsStrimziAndThePlatformAgainstIt_onTheExternalBudget() throws Exception {
        List<Doc> docs = build("reference-cluster");
        assertEquals(29, docs.size(), kinds(docs).toString());
        assertEquals(Map.of("Kafka", 1L, "KafkaNodePool", 1L, "KafkaTopic", 7L, "KafkaUser", 2L),
                docs.stream().filter(d -> d.kind().startsWith("Kafka")).collect(Collectors.groupingBy(Doc::kind,
                        TreeMap::new, Collectors.counting())));
        checkOverlay(docs, "platform-external");
    }

    private static Map<String, Long> kinds(List<Doc> docs) {
        return docs.stream().collect(Collectors.groupingBy(Doc::kind, TreeMap::new, Collectors.counting()));
    }

    private void checkOverlay(List<Doc> docs, String platformProfile) throws Exception {
        ConfigMap config = docs.stream().filter(d -> d.kind().equals("ConfigMap")).findFirst().orElseThrow()
                .as(ConfigMap.class);
        assertEquals(Set.of("platform.yaml", "inference.yaml", "things-gateway.yaml"), config.getData().keySet());
        for (Doc d : docs) {
            if (!d.kind().equals("Namespace")) {
                assertEquals(NAMESPACE, d.tree().at("/metadata/namespace").asText(), d.kind() + " " + d.name());
            }
        }
        Map<String, String> profiles = new TreeMap<>();
        for (Doc d : docs) {
            for (Container c : KubeManifests.containers(d)) {
                String profile = K8sManifestsTest.env(c, "AIOT_PROFILE");
                assertNotNull(profile, d.name());
                Quantity want = new Quantity(K8sManifestsTest.memoryLimitOf(profile));
                assertEquals(want, c.getResources().getLimits().get("memory"), d.name());
                assertEquals(want, c.getResources().getRequests().get("memory"), d.name());
                if (KubeManifests.podSpec(d) != null) {
                    profiles.put(d.name(), profile);
                    checkRoleConfig(d.name(), c, config);
                }
            }
        }
        assertEquals(Map.of("platform", platformProfile, "inference", "inference", "things-gateway",
                "things-gateway"), profiles);
        checkNetworkPolicies(docs);
    }

    /** Each workload's pods: policed both ways, and what may come in is exactly the ports it opens. */
    private static void checkNetworkPolicies(List<Doc> docs) {
        List<NetworkPolicy> policies = docs.stream().filter(d -> d.kind().equals("NetworkPolicy"))
                .map(d -> d.as(NetworkPolicy.class)).toList();
        for (Doc d : docs) {
            if (KubeManifests.podSpec(d) == null) {
                continue;
            }
            Map<String, String> labels = d.tree().at("/spec/template/metadata/labels").properties().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().asText()));
            List<NetworkPolicy> mine = policies.stream().filter(p -> selects(p.getSpec().getPodSelector(), labels))
                    .toList();
            Set<String> types = mine.stream().flatMap(p -> p.getSpec().getPolicyTypes().stream())
                    .collect(Collectors.toSet());
            assertEquals(Set.of("Ingress", "Egress"), types, d.name());
            Set<Integer> allowed = mine.stream().filter(p -> p.getSpec().getIngress() != null)
                    .flatMap(p -> p.getSpec().getIngress().stream()).flatMap(r -> r.getPorts().stream())
                    .map(port -> port.getPort().getIntVal()).collect(Collectors.toCollection(TreeSet::new));
            Set<Integer> opened = KubeManifests.podSpec(d).getContainers().stream()
                    .flatMap(c -> c.getPorts().stream()).map(ContainerPort::getContainerPort)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(opened, allowed, d.name() + ": ingress allowed = the container's ports");
        }
    }

    private static boolean selects(LabelSelector s, Map<String, String> labels) {
        boolean match = s.getMatchLabels() == null || labels.entrySet().containsAll(s.getMatchLabels().entrySet());
        if (s.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : s.getMatchExpressions()) {
                assertEquals("In", r.getOperator(), "only In is used");
                match &= r.getValues().contains(labels.get(r.getKey()));
            }
        }
        return match;
    }

    /** The role's config loads, its ${ENV:...} come from the container, its ports are the container's. */
    private void checkRoleConfig(String workload, Container c, ConfigMap configMap) throws Exception {
        List<String> args = c.getArgs();
        String role = args.get(args.indexOf("--role") + 1);
        assertEquals(workload, role);
        String file = Path.of(args.get(args.indexOf("--config") + 1)).getFileName().toString();
        assertEquals("/etc/aiot-edge/config", c.getVolumeMounts().stream().filter(m -> m.getName().equals("config"))
                .findFirst().orElseThrow().getMountPath());
        Set<String> asked = new TreeSet<>();
        NodeConfig cfg = load(configMap.getData().get(file), asked);
        Set<String> given = c.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
        assertTrue(given.containsAll(asked), role + " lacks " + asked + " - " + given);
        assertEquals("/var/lib/aiot-edge/data", cfg.dataDir().toString(), "inside the volume at /var/lib/aiot-edge");

        Map<String, Integer> ports = new HashMap<>();
        c.getPorts().forEach((ContainerPort p) -> ports.put(p.getName(), p.getContainerPort()));
        boolean https = cfg.http().keystorePath() != null;
        String httpName = https ? "https" : "http";
        assertEquals(cfg.http().port(), ports.get(httpName), role + " " + ports);
        for (Probe p : List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
            assertEquals(httpName, p.getHttpGet().getPort().getStrVal(), role);
            assertEquals(https ? "HTTPS" : null, p.getHttpGet().getScheme(), role);
        }
        assertEquals("/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        if (role.equals("platform")) {
            assertEquals(cfg.mqtt().tlsPort(), ports.get("mqtts"));
            assertEquals(cfg.kafka().remote().port(), ports.get("kafka"), "the embedded Kafka's listener, if any");
        }
    }

    private NodeConfig load(String yaml, Set<String> asked) throws Exception {
        if (storePassword == null) {
            PlantCa ca = new PlantCa(certs, Clock.systemUTC());
            ca.create("aiot plant CA", 2, null);
            ca.issueNode("platform", new SubjectNames(List.of(), List.of(PLATFORM_DNS)), 2, null);
            storePassword = Files.readString(certs.resolve("store-password"), StandardCharsets.UTF_8).strip();
        }
        Path f = Files.createTempFile(certs, "role", ".yaml");
        Files.writeString(f, yaml.replace("/etc/aiot-edge/certs/", certs + "/"));
        ConfigLoader.Loaded loaded = new ConfigLoader(name -> {
            asked.add(name);
            return name.equals("AIOT_STORE_PASSWORD") ? storePassword
                    : name.endsWith("_HASH") ? HASH : "example-secret-" + name;
        }).load(f, List.of());
        assertEquals(Set.of(), loaded.unknownKeys(), yaml);
        return loaded.config();
    }
}
