package io.aiotedge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Raw YAML trees and the operations on them before binding: parse, merge, override, placeholders. */
final class ConfigTree {
    /**
     * YAML 1.2 booleans only: YAML 1.1 would read a bare {@code off}, {@code no} or {@code on} as a
     * boolean, turning {@code kafka.mode: off} or a user named {@code no} into {@code false}.
     */
    static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS).build());
    private static final Pattern ENV = Pattern.compile("\\$\\{ENV:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z][A-Za-z0-9_-]*)*");

    private ConfigTree() {
    }

    /** Parses a YAML document that must be a mapping (an empty document is an empty mapping). */
    static ObjectNode parse(InputStream in, String origin, List<String> problems) {
        try {
            JsonNode node = YAML.readTree(in);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                problems.add(origin + ": the top level must be a mapping of keys, found " + node.getNodeType());
                return JsonNodeFactory.instance.objectNode();
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            problems.add(origin + ": not valid YAML: " + firstLine(e.getMessage()));
            return JsonNodeFactory.instance.objectNode();
        }
    }

    /** Deep-merges {@code over} into {@code base}: mappings merge, everything else replaces. */
    static void merge(ObjectNode base, ObjectNode over) {
        Iterator<Map.Entry<String, JsonNode>> it = over.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = base.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode vo) {
                merge(eo, vo);
            } else {
                base.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /**
     * Applies one {@code key=value} override; the value is read as YAML, so {@code 8080} is a
     * number, {@code true} a boolean and {@code [a, b]} a list.
     */
    static void override(ObjectNode root, String assignment, List<String> problems) {
        int eq = assignment.indexOf('=');
        String key = eq < 0 ? assignment : assignment.substring(0, eq).trim();
        if (eq < 0 || !KEY.matcher(key).matches()) {
            problems.add("--set " + assignment + ": expected key=value with a dotted key such as mqtt.port=1883");
            return;
        }
        JsonNode value;
        try {
            String raw = assignment.substring(eq + 1);
            value = raw.isEmpty() ? TextNode.valueOf("") : YAML.readTree(raw);
            if (value == null || value.isMissingNode()) {
                value = TextNode.valueOf(raw);
            }
        } catch (IOException e) {
            problems.add("--set " + key + ": value is not valid YAML: " + firstLine(e.getMessage()));
            return;
        }
        String[] parts = key.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value);
    }

    /** Replaces {@code ${ENV:NAME}} in every string; a missing variable is a problem naming the key. */
    static void resolveEnv(JsonNode node, String path, Function<String, String> env, List<String> problems) {
        if (node instanceof ObjectNode obj) {
            List<String> names = new ArrayList<>();
            obj.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = obj.get(name);
                String childPath = path.isEmpty() ? name : path + "." + name;
                if (child.isTextual()) {
                    obj.set(name, resolved(child.asText(), childPath, env, problems));
                } else {
                    resolveEnv(child, childPath, env, problems);
                }
            }
        } else if (node != null && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode child = node.get(i);
                String childPath = path + "[" + i + "]";
                if (child.isTextual()) {
                    ((com.fasterxml.jackson.databind.node.ArrayNode) node)
                            .set(i, resolved(child.asText(), childPath, env, problems));
                } else {
                    resolveEnv(child, childPath, env, problems);
                }
            }
        }
    }

    /** A value with placeholders is read again as a YAML scalar, so {@code ${ENV:PORT}} can be a number. */
    private static JsonNode resolved(String text, String path, Function<String, String> env, List<String> problems) {
        if (!ENV.matcher(text).find()) {
            return TextNode.valueOf(text);
        }
        String value = substitute(text, path, env, problems);
        try {
            JsonNode n = YAML.readTree(value);
            return n != null && n.isValueNode() && !n.isNull() ? n : TextNode.valueOf(value);
        } catch (IOException e) {
            return TextNode.valueOf(value);
        }
    }

    private static String substitute(String text, String path, Function<String, String> env, List<String> problems) {
        Matcher m = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null) {
                problems.add(path + ": environment variable " + m.group(1) + " is not set");
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
