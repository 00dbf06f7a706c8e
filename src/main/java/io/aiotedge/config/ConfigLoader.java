package io.aiotedge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aiotedge.core.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Loads the node configuration: the defaults shipped in the JAR ({@value #DEFAULTS}), then the
 * YAML file if given, then {@code --set key=value} overrides, then {@code ${ENV:NAME}}
 * placeholders. Binding collects every problem; if there is any, {@link #load} throws one
 * {@link ConfigException} listing them all by key. Stateless; thread-safe.
 */
public final class ConfigLoader {
    public static final String DEFAULTS = "/aiot-edge-defaults.yaml";
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|privatekey|jaas).*");

    private final Function<String, String> env;

    public ConfigLoader(Function<String, String> env) {
        this.env = env;
    }

    public ConfigLoader() {
        this(System::getenv);
    }

    /** The bound config, the keys nobody read, and the effective config with secrets redacted. */
    public record Loaded(NodeConfig config, Set<String> unknownKeys, Map<String, String> effective) {
    }

    public Loaded load(Path file, List<String> overrides) {
        List<String> problems = new ArrayList<>();
        ObjectNode root = readDefaults(problems);
        if (file != null) {
            ConfigTree.merge(root, readFile(file, problems));
        }
        for (String o : overrides) {
            ConfigTree.override(root, o, problems);
        }
        ConfigTree.resolveEnv(root, "", env, problems);
        ConfigReader reader = new ConfigReader(root, problems);
        NodeConfig config = NodeConfig.read(reader);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Loaded(config, reader.unknownKeys(), flatten(root));
    }

    private static ObjectNode readDefaults(List<String> problems) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException("The JAR lacks " + DEFAULTS);
            }
            return ConfigTree.parse(in, "built-in defaults", problems);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + DEFAULTS, e);
        }
    }

    private static ObjectNode readFile(Path file, List<String> problems) {
        try (InputStream in = Files.newInputStream(file)) {
            return ConfigTree.parse(in, file.toString(), problems);
        } catch (NoSuchFileException e) {
            problems.add("--config: no such file: " + file);
        } catch (IOException e) {
            problems.add("--config: cannot read " + file + ": " + e.getMessage());
        }
        return ConfigTree.YAML.createObjectNode();
    }

    /** Whether a key's values are redacted: its name (any level) says password, secret, token, privateKey or jaas. */
    public static boolean isSecret(String name) {
        return SECRET.matcher(name).matches();
    }

    /** Every leaf as {@code key -> value}, sorted, secrets replaced by {@code ******}. */
    static Map<String, String> flatten(JsonNode root) {
        Map<String, String> out = new TreeMap<>();
        flatten(root, "", false, out);
        return out;
    }

    private static void flatten(JsonNode n, String path, boolean secret, Map<String, String> out) {
        if (n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                flatten(e.getValue(), p, secret || isSecret(e.getKey()), out);
            }
        } else if (n.isArray() && !n.isEmpty()) {
            for (int i = 0; i < n.size(); i++) {
                flatten(n.get(i), path + "[" + i + "]", secret, out);
            }
        } else {
            boolean blank = n.isNull() || n instanceof TextNode t && t.asText().isEmpty();
            out.put(path, secret && !blank ? "******" : n.isArray() ? "[]" : StorageConfig.redact(n.asText()));
        }
    }
}
