package io.aiotedge.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of STYLE.md, checked on the sources: each third-party library is imported
 * from one package only, components depend on core/config (never on each other), and only the
 * composition root and the CLI see every component.
 */
class LayeringTest {
    private static final Path MAIN = Path.of("src/main/java/io/aiotedge");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

    /** Library prefix -> the only top-level packages allowed to import it. */
    private static final Map<String, Set<String>> LIBRARIES = Map.ofEntries(
            Map.entry("com.hivemq.embedded", Set.of("broker")),
            Map.entry("com.hivemq.extension", Set.of("broker")),
            Map.entry("com.hivemq.configuration", Set.of("broker")),
            Map.entry("com.codahale.metrics", Set.of("broker")),
            // clients: the one MQTT connector; bench: load tools measure the client library directly
            Map.entry("com.hivemq.client", Set.of("clients", "bench")),
            Map.entry("io.javalin", Set.of("http", "api", "bench")), // bench: the static-file baseline
            Map.entry("org.h2", Set.of("storage")),
            Map.entry("org.flywaydb", Set.of("storage")),
            Map.entry("com.zaxxer", Set.of("storage")),
            // bench: load tools measure Kafka directly; datastore and inference: Kafka consumer groups;
            // clients: the one place client properties are assembled
            Map.entry("org.apache.kafka", Set.of("kafka", "bridge", "bench", "datastore", "inference", "clients")),
            Map.entry("kafka", Set.of("kafka")),
            Map.entry("com.networknt", Set.of("bridge")),
            Map.entry("org.tensorflow.lite", Set.of("tflite")),
            Map.entry("com.google.flatbuffers", Set.of("mlops")),
            Map.entry("org.jtransforms", Set.of("dsp", "bench")), // bench: the bare-FFT baseline
            Map.entry("picocli", Set.of("cli")),
            Map.entry("io.micrometer.prometheusmetrics", Set.of("runtime")));

    /**
     * Packages any component may use: wire holds the on-the-wire formats components exchange,
     * dsp the feature extraction (a pure library, no lifecycle) that gateway and inference share,
     * tflite the model runtime (likewise a pure library) that inference, pipeline and bench use,
     * clients how the roles build their MQTT and Kafka clients.
     */
    private static final Set<String> SHARED =
            Set.of("core", "config", "storage", "wire", "dsp", "tflite", "clients");
    /**
     * Packages that may import components: the composition root, the CLI, the load tools, and the
     * HTTP API, which composes the platform services into one set of routes, and the MLOps
     * pipeline, which composes the datastore, training and the model registry.
     */
    private static final Set<String> ROOTS = Set.of("runtime", "cli", "bench", "api", "pipeline");

    @Test
    void thirdPartyLibraries_areImportedFromTheirOwnPackageOnly() throws IOException {
        Set<String> violations = new TreeSet<>();
        for (Path f : sources()) {
            String pkg = topPackage(f);
            for (String imp : imports(f)) {
                LIBRARIES.forEach((lib, allowed) -> {
                    if (imp.startsWith(lib + ".") && !allowed.contains(pkg)) {
                        violations.add(MAIN.relativize(f) + " imports " + imp);
                    }
                });
            }
        }
        assertEquals(Set.of(), violations);
    }

    @Test
    void components_dependOnlyOnCoreAndConfig() throws IOException {
        Set<String> violations = new TreeSet<>();
        for (Path f : sources()) {
            String pkg = topPackage(f);
            if (ROOTS.contains(pkg) || pkg.isEmpty()) {
                continue;
            }
            for (String imp : imports(f)) {
                if (!imp.startsWith("io.aiotedge.")) {
                    continue;
                }
                String target = imp.substring("io.aiotedge.".length()).split("\\.")[0];
                boolean ok = target.equals(pkg) || SHARED.contains(target);
                if (pkg.equals("core") && !target.equals("core") || !ok) {
                    violations.add(MAIN.relativize(f) + " imports " + imp);
                }
            }
        }
        assertEquals(Set.of(), violations);
    }

    @Test
    void mainCode_doesNotPrintOutsideTheCli() throws IOException {
        Set<String> violations = new TreeSet<>();
        for (Path f : sources()) {
            if (!topPackage(f).equals("cli") && Files.readString(f).matches("(?s).*System\\.(out|err)\\.print.*")) {
                violations.add(MAIN.relativize(f).toString());
            }
        }
        assertEquals(Set.of(), violations);
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static String topPackage(Path f) {
        Path rel = MAIN.relativize(f);
        return rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
    }

    private static List<String> imports(Path f) throws IOException {
        Matcher m = IMPORT.matcher(Files.readString(f));
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
