package io.aiotedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.support.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The shipped JAR stays under its 100 MiB budget (issue 14) by carrying only what our boards load: native
 * libraries for Linux x86_64 and aarch64, no scala-reflect, no log4j-core. Its size per dependency is printed by
 * {@code scripts/jar-report.sh} (docs/architecture.md, "What the JAR carries").
 */
class FatJarContentsIT {

    private static final long BUDGET_BYTES = 100L * 1024 * 1024;

    /** Natives of the platforms we ship, one per library that needs them. */
    private static final List<String> REQUIRED = List.of("librocksdbjni-linux64.so",
            "librocksdbjni-linux-aarch64.so", "linux/amd64/libzstd-jni-1.5.6-10.so",
            "linux/aarch64/libzstd-jni-1.5.6-10.so", "org/xerial/snappy/native/Linux/x86_64/libsnappyjava.so",
            "org/xerial/snappy/native/Linux/aarch64/libsnappyjava.so", "net/jpountz/util/linux/amd64/liblz4-java.so",
            "net/jpountz/util/linux/aarch64/liblz4-java.so", "com/sun/jna/linux-x86-64/libjnidispatch.so",
            "com/sun/jna/linux-aarch64/libjnidispatch.so", "native/lib/libtensorflowlite_jni.so",
            "org/apache/logging/slf4j/SLF4JProvider.class");

    private static final Pattern NATIVE = Pattern.compile(".*\\.(so|dll|dylib|jnilib|a)$");
    private static final Pattern SHIPPED_PLATFORM = Pattern
            .compile(".*(linux64|linux-aarch64|linux/amd64|linux/aarch64|Linux/x86_64|Linux/aarch64"
                    + "|linux-x86-64|linux-arm/|native/lib/libtensorflowlite_jni).*");

    @Test
    void jarStaysUnderItsBudget() throws IOException {
        long size = Files.size(NodeProcess.jar());
        assertTrue(size < BUDGET_BYTES, "the JAR is " + size + " bytes, budget " + BUDGET_BYTES);
    }

    @Test
    void carriesTheNativesOfTheBoardsAndNoOthers() throws IOException {
        Set<String> names = entries();
        for (String required : REQUIRED) {
            assertTrue(names.contains(required), "missing " + required);
        }
        Set<String> foreign = new TreeSet<>();
        for (String name : names) {
            if (NATIVE.matcher(name).matches() && !SHIPPED_PLATFORM.matcher(name).matches()) {
                foreign.add(name);
            }
        }
        assertEquals(Set.of(), foreign, "natives of platforms we do not ship");
    }

    @Test
    void leavesOutWhatNoRoleLoads() throws IOException {
        Set<String> names = entries();
        Set<String> unwanted = new TreeSet<>();
        for (String name : names) {
            if (name.startsWith("scala/reflect/api/") || name.startsWith("scala/reflect/internal/")
                    || name.startsWith("org/apache/logging/log4j/core/") || name.startsWith("io/aiotedge/support/")
                    || name.startsWith("io/aiotedge/") && (name.endsWith("IT.class") || name.endsWith("Test.class"))) {
                unwanted.add(name);
            }
        }
        assertEquals(Set.of(), unwanted);
    }

    private static Set<String> entries() throws IOException {
        Set<String> names = new TreeSet<>();
        try (ZipFile zip = new ZipFile(NodeProcess.jar().toFile())) {
            zip.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).forEach(names::add);
        }
        return names;
    }
}
