package io.aiotedge.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aiotedge.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reference table of docs/configuration.md against the defaults shipped in the JAR: a key is
 * declared by its line in {@code aiot-edge-defaults.yaml} (name and default) and its typed read in
 * a config record (type, range); the table's row is its documentation. These tests make the row
 * follow the declaration: the same key, the same default, and "secret" exactly where the loader
 * redacts.
 */
class ConfigurationReferenceTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern CODE = Pattern.compile("^`([^`]*)`");

    private static JsonNode defaults() throws IOException {
        try (InputStream in = ConfigurationReferenceTest.class.getResourceAsStream("/aiot-edge-defaults.yaml")) {
            return YAML.readTree(in);
        }
    }

    /** key -> [default cell, meaning cell] of the "## Keys" table. */
    private static Map<String, List<String>> rows() throws IOException {
        Map<String, List<String>> rows = new TreeMap<>();
        for (List<String> r : DocsExamplesTest.table("docs/configuration.md", "## Keys")) {
            rows.put(r.get(0).replace("`", ""), List.of(r.get(1), r.get(2)));
        }
        return rows;
    }

    private static JsonNode at(JsonNode root, String key) {
        JsonNode n = root;
        for (String part : key.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

    @Test
    void everyDocumentedKey_isAKeyOfTheDefaults() throws IOException {
        JsonNode defaults = defaults();
        List<String> stale = rows().keySet().stream().filter(k -> at(defaults, k).isMissingNode()).toList();
        assertEquals(List.of(), stale, "rows in docs/configuration.md for keys the defaults do not have");
    }

    @Test
    void everyDocumentedDefault_equalsTheShippedDefault() throws IOException {
        JsonNode defaults = defaults();
        Map<String, String> wrong = new TreeMap<>();
        int compared = 0;
        for (Map.Entry<String, List<String>> row : rows().entrySet()) {
            JsonNode shipped = at(defaults, row.getKey());
            Matcher code = CODE.matcher(row.getValue().get(0));
            if (!code.find()) {
                // prose ("see below") is for structured defaults only
                if (shipped.isValueNode() || shipped.isEmpty()) {
                    wrong.put(row.getKey(), "prose default for a plain value " + shipped);
                }
                continue;
            }
            JsonNode documented = YAML.readTree(code.group(1).isEmpty() ? "\"\"" : code.group(1));
            if (!documented.equals(shipped)) {
                wrong.put(row.getKey(), "documented " + documented + ", shipped " + shipped);
            }
            compared++;
        }
        assertEquals(Map.of(), wrong);
        assertEquals(rows().size() - 4, compared, "rows with a literal default (all but four structured ones)");
    }

    @Test
    void secretKeys_areCalledSecretInTheTable_andOnlyThose() throws IOException {
        Map<String, String> mismatched = new TreeMap<>();
        for (Map.Entry<String, List<String>> row : rows().entrySet()) {
            String leaf = row.getKey().substring(row.getKey().lastIndexOf('.') + 1);
            boolean redacted = ConfigLoader.isSecret(leaf);
            boolean saysSecret = row.getValue().get(1).startsWith("secret");
            if (redacted != saysSecret) {
                mismatched.put(row.getKey(),
                        redacted ? "redacted but not called secret" : "called secret, not redacted");
            }
        }
        assertEquals(Map.of(), mismatched);
        assertTrue(rows().size() > 100, "the table was read");
    }
}
