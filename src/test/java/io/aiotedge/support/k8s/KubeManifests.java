package io.aiotedge.support.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads deploy/k8s manifests into the official typed models, unknown fields rejected: fabric8's
 * kubernetes-model for core objects, Strimzi's {@code api} module for its CRs, and {@link ArgoModel} /
 * {@link KustomizeModel} (our strict records of the fields we use, after Argo's and kustomize's
 * schemas: neither publishes a Java model on Maven Central). The fabric8 and Strimzi classes keep
 * unknown fields in an {@code additionalProperties} map instead of failing, so after reading every
 * such map in the object tree must be empty. The only place the tests import fabric8 or Strimzi.
 */
public final class KubeManifests {
    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** apiVersion/kind -> model class. */
    private static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("apps/v1/DaemonSet", DaemonSet.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", KafkaUser.class),
            Map.entry("argoproj.io/v1alpha1/Workflow", ArgoModel.Workflow.class),
            Map.entry("argoproj.io/v1alpha1/WorkflowTemplate", ArgoModel.Workflow.class),
            Map.entry("argoproj.io/v1alpha1/CronWorkflow", ArgoModel.CronWorkflow.class),
            Map.entry("kustomize.config.k8s.io/v1beta1/Kustomization", KustomizeModel.Kustomization.class));

    private KubeManifests() {
    }

    /** One document: where it came from, its kind, and the typed object. */
    public record Doc(String source, String kind, String name, Object object, JsonNode tree) {
        public <T> T as(Class<T> type) {
            return type.cast(object);
        }
    }

    /** Every document of a YAML file (several separated by {@code ---}). */
    public static List<Doc> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of YAML text; fails naming the source, the document and the unknown field. */
    public static List<Doc> parse(String yaml, String source) throws IOException {
        List<Doc> out = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            var docs = YAML.readValues(parser, JsonNode.class);
            int i = 0;
            while (docs.hasNextValue()) {
                JsonNode tree = docs.nextValue();
                i++;
                if (tree == null || tree.isNull() || tree.isMissingNode()) {
                    continue;
                }
                out.add(typed(tree, source + " #" + i));
            }
        }
        return out;
    }

    private static Doc typed(JsonNode tree, String where) throws IOException {
        String key = tree.path("apiVersion").asText() + "/" + tree.path("kind").asText();
        Class<?> type = KINDS.get(key);
        if (type == null) {
            throw new IllegalArgumentException(where + ": no model for " + key);
        }
        Object object;
        try {
            object = YAML.treeToValue(tree, type);
        } catch (IOException e) {
            throw new IOException(where + " (" + key + "): " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(object, "", unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + " (" + key + "): unknown fields " + unknown);
        }
        return new Doc(where, tree.path("kind").asText(), tree.path("metadata").path("name").asText(), object, tree);
    }

    /** The paths of every non-empty additionalProperties map under a fabric8 or Strimzi object. */
    static void unknownFields(Object o, String path, List<String> out) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, out));
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!(pkg.startsWith("io.fabric8") || pkg.startsWith("io.strimzi") || pkg.startsWith("io.aiotedge"))) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class || m.getDeclaringClass().isRecord() && !isAccessor(m)
                    || !(m.getName().startsWith("get") || m.getName().startsWith("is") || isAccessor(m))) {
                continue;
            }
            Object value = invoke(m, o);
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add((path.isEmpty() ? "" : path + ".") + extra.keySet());
                }
            } else if (value != o) {
                unknownFields(value, path + "." + property(m), out);
            }
        }
    }

    private static boolean isAccessor(Method m) {
        Class<?> c = m.getDeclaringClass();
        if (!c.isRecord()) {
            return false;
        }
        for (var rc : c.getRecordComponents()) {
            if (rc.getAccessor().equals(m)) {
                return true;
            }
        }
        return false;
    }

    private static Object invoke(Method m, Object o) {
        try {
            return m.invoke(o);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }

    private static String property(Method m) {
        String n = m.getName();
        if (isAccessor(m)) {
            return n;
        }
        String bare = n.startsWith("is") ? n.substring(2) : n.substring(3);
        return bare.isEmpty() ? n : Character.toLowerCase(bare.charAt(0)) + bare.substring(1);
    }

    /** The pod spec of a workload, or null for kinds without one. */
    public static PodSpec podSpec(Doc d) {
        if (d.object() instanceof StatefulSet s) {
            return s.getSpec().getTemplate().getSpec();
        }
        if (d.object() instanceof DaemonSet s) {
            return s.getSpec().getTemplate().getSpec();
        }
        return null;
    }

    /** Every container a document runs: workloads' containers and Argo templates' containers. */
    public static List<Container> containers(Doc d) {
        PodSpec spec = podSpec(d);
        if (spec != null) {
            return spec.getContainers();
        }
        if (d.object() instanceof ArgoModel.Workflow w && w.spec().templates() != null) {
            return w.spec().templates().stream().map(ArgoModel.Template::container).filter(c -> c != null).toList();
        }
        return List.of();
    }

    /** A document's tree as an editable copy (for tests that try a hostile change). */
    public static ObjectNode copy(Doc d) {
        return d.tree().deepCopy();
    }

    /** Reads a tree again, as {@link #parse} would (for the hostile-change tests). */
    public static Doc retype(JsonNode tree, String where) throws IOException {
        return typed(tree, where);
    }
}
