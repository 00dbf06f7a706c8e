package io.aiotedge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code deploy/jvm.env} as the launcher reads it: {@code KEY="value"} lines. Tests start the JAR
 * with a profile's shipped flags from here, so a test under a memory limit holds the flags that
 * ship, not flags of its own.
 */
public final class JvmEnv {
    public static final Path FILE = Path.of("deploy/jvm.env");

    /** One budget profile: its name, memory limit and JVM flags (AIOT_JVM_COMMON first). */
    public record Profile(String name, long limitBytes, List<String> flags, String mallocArenaMax) {
        public long limitMiB() {
            return limitBytes >> 20;
        }
    }

    private final Map<String, String> vars;

    private JvmEnv(Map<String, String> vars) {
        this.vars = vars;
    }

    public static JvmEnv load() {
        return parse(FILE);
    }

    public static JvmEnv parse(Path file) {
        try {
            Map<String, String> vars = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int eq = l.indexOf('=');
                String v = l.substring(eq + 1);
                if (eq < 1 || !v.startsWith("\"") || !v.endsWith("\"") || v.length() < 2) {
                    throw new IllegalStateException(file + ": not a KEY=\"value\" line: " + line);
                }
                vars.put(l.substring(0, eq), v.substring(1, v.length() - 1));
            }
            return new JvmEnv(vars);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every variable, in file order. */
    public Map<String, String> vars() {
        return vars;
    }

    /** {@code inference}, {@code things-gateway}, {@code platform-external} or {@code platform}. */
    public Profile profile(String name) {
        String key = name.toUpperCase(Locale.ROOT).replace('-', '_');
        List<String> flags = new ArrayList<>(words(require("AIOT_JVM_COMMON")));
        flags.addAll(words(require("AIOT_JVM_" + key)));
        return new Profile(name, bytes(require("AIOT_MEMORY_LIMIT_" + key)), List.copyOf(flags),
                require("MALLOC_ARENA_MAX"));
    }

    /** A Kubernetes-style quantity as jvm.env writes it: {@code 256Mi}, {@code 1Gi}. */
    public static long bytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) << 30;
        }
        if (quantity.endsWith("Mi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) << 20;
        }
        throw new IllegalArgumentException("not a Mi/Gi quantity: " + quantity);
    }

    private String require(String key) {
        String v = vars.get(key);
        if (v == null) {
            throw new IllegalStateException(FILE + " has no " + key);
        }
        return v;
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }
}
