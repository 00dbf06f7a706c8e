package io.aiotedge.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed values from a merged config tree by dotted key. Never throws for bad input: each
 * problem is recorded with its key and a neutral value is returned, so binding runs to the end
 * and every problem is reported at once. Records which keys were read so the rest can be warned
 * about as unknown. Not thread-safe; used once per load.
 */
public final class ConfigReader {
    private final JsonNode root;
    private final String prefix;
    private final List<String> problems;
    private final Set<String> consumed;

    ConfigReader(JsonNode root, List<String> problems) {
        this(root, "", problems, new TreeSet<>());
    }

    private ConfigReader(JsonNode root, String prefix, List<String> problems, Set<String> consumed) {
        this.root = root;
        this.prefix = prefix;
        this.problems = problems;
        this.consumed = consumed;
    }

    /** Records a problem with {@code key} (relative to this reader). */
    public void problem(String key, String reason) {
        problems.add(qualified(key) + ": " + reason);
    }

    public boolean has(String key) {
        JsonNode n = node(key);
        return n != null && !n.isNull();
    }

    public int integer(String key, long min, long max) {
        return (int) longValue(key, min, Math.min(max, Integer.MAX_VALUE));
    }

    public long longValue(String key, long min, long max) {
        JsonNode n = require(key);
        if (n == null) {
            return min;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            problem(key, "must be a whole number, got '" + n.asText() + "'");
            return min;
        }
        long v = n.asLong();
        if (v < min || v > max) {
            problem(key, "must be between " + min + " and " + max + ", got " + v);
            return min;
        }
        return v;
    }

    /** A finite number (whole or decimal). */
    public double decimal(String key) {
        JsonNode n = require(key);
        if (n == null) {
            return 0;
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            problem(key, "must be a number, got '" + n.asText() + "'");
            return 0;
        }
        return n.asDouble();
    }

    /** A port: 0 = pick a free one. */
    public int port(String key) {
        return integer(key, 0, 65535);
    }

    /** An optional port: null (absent) disables the listener. */
    public Integer optionalPort(String key) {
        return has(key) ? Integer.valueOf(port(key)) : markNull(key);
    }

    public boolean bool(String key) {
        JsonNode n = require(key);
        if (n == null) {
            return false;
        }
        if (!n.isBoolean()) {
            problem(key, "must be true or false, got '" + n.asText() + "'");
            return false;
        }
        return n.asBoolean();
    }

    public String string(String key) {
        JsonNode n = require(key);
        if (n == null) {
            return "";
        }
        if (!n.isValueNode()) {
            problem(key, "must be a single value, got a " + n.getNodeType().toString().toLowerCase(Locale.ROOT));
            return "";
        }
        return n.asText();
    }

    public String nonBlank(String key) {
        String s = string(key);
        if (s.isBlank() && has(key)) {
            problem(key, "must not be empty");
        }
        return s;
    }

    public String optionalString(String key) {
        return has(key) ? string(key) : markNull(key);
    }

    public Path path(String key) {
        String s = nonBlank(key);
        try {
            return Path.of(s.isBlank() ? "." : s);
        } catch (InvalidPathException e) {
            problem(key, "is not a valid path: " + e.getReason());
            return Path.of(".");
        }
    }

    /** An enum written in lower kebab case in YAML ({@code in-memory} for {@code IN_MEMORY}). */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        String s = string(key);
        for (E e : type.getEnumConstants()) {
            if (kebab(e).equals(s)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(kebab(e));
        }
        if (has(key)) {
            problem(key, "must be one of " + allowed + ", got '" + s + "'");
        }
        return type.getEnumConstants()[0];
    }

    public static String kebab(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public List<String> stringList(String key) {
        List<String> out = new ArrayList<>();
        JsonNode n = require(key);
        if (n == null) {
            return out;
        }
        if (!n.isArray()) {
            problem(key, "must be a list");
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isValueNode() || n.get(i).isNull()) {
                problem(key + "[" + i + "]", "must be a single value");
            } else {
                out.add(n.get(i).asText());
            }
        }
        return out;
    }

    /** The elements of a list of mappings, each as a reader whose keys are relative to it. */
    public List<ConfigReader> objects(String key) {
        List<ConfigReader> out = new ArrayList<>();
        JsonNode n = node(key);
        if (n == null || n.isNull() || n.isArray() && n.isEmpty()) {
            consumed.add(qualified(key));
            return out;
        }
        if (!n.isArray()) {
            problem(key, "must be a list");
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isObject()) {
                problem(key + "[" + i + "]", "must be a mapping of keys");
                continue;
            }
            out.add(new ConfigReader(n.get(i), qualified(key) + "[" + i + "].", problems, consumed));
        }
        return out;
    }

    /**
     * A mapping of free-form keys to single values, flattened with dots, so both
     * {@code {"security.protocol": SSL}} and {@code --set kafka.client.security.protocol=SSL}
     * read as {@code security.protocol -> SSL}. Absent = empty.
     */
    public java.util.Map<String, String> flatMap(String key) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        consumed.add(qualified(key));
        JsonNode n = node(key);
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            problem(key, "must be a mapping of keys");
            return out;
        }
        flattenInto(n, "", key, out);
        return out;
    }

    private void flattenInto(JsonNode n, String prefix, String key, java.util.Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject()) {
                flattenInto(e.getValue(), k, key, out);
            } else if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                out.put(k, e.getValue().asText());
            } else {
                problem(key + "." + k, "must be a single value");
            }
        }
    }

    /** A reader over the mapping at {@code key}; its keys are relative to it. */
    public ConfigReader section(String key) {
        JsonNode n = node(key);
        if (n == null || !n.isObject()) {
            problem(key, "must be a mapping of keys");
            n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        return new ConfigReader(n, qualified(key) + ".", problems, consumed);
    }

    /** Every leaf key in the tree that no binding read. */
    public Set<String> unknownKeys() {
        Set<String> unknown = new TreeSet<>();
        collectLeaves(root, "", unknown);
        unknown.removeIf(
                k -> consumed.stream().anyMatch(c -> k.equals(c) || k.startsWith(c + ".") || k.startsWith(c + "[")));
        return unknown;
    }

    private static void collectLeaves(JsonNode n, String path, Set<String> out) {
        if (n.isObject() && n.size() > 0) {
            Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                collectLeaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
            }
        } else if (n.isArray() && n.size() > 0) {
            for (int i = 0; i < n.size(); i++) {
                collectLeaves(n.get(i), path + "[" + i + "]", out);
            }
        } else if (!path.isEmpty()) {
            out.add(path);
        }
    }

    private <T> T markNull(String key) {
        consumed.add(qualified(key));
        return null;
    }

    private JsonNode require(String key) {
        consumed.add(qualified(key));
        JsonNode n = node(key);
        if (n == null || n.isNull()) {
            problem(key, "is required");
            return null;
        }
        return n;
    }

    private String qualified(String key) {
        return prefix + key;
    }

    JsonNode node(String key) {
        JsonNode n = root;
        for (String part : key.split("\\.")) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(part);
        }
        return n;
    }

}
