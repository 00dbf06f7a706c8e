package io.aiotedge.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.support.JvmEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/operations.md's budget table and flags are deploy/jvm.env's, so the docs cannot drift from what ships. */
class BudgetDocsTest {
    private static final List<String> PROFILES = List.of("inference", "things-gateway", "platform-external",
            "platform");

    /** The "Budgets" table: profile (first column, in backticks) to its "memory limit" column. */
    private static Map<String, String> documentedLimits() throws IOException {
        String doc = Files.readString(Path.of("docs/operations.md"), StandardCharsets.UTF_8);
        String section = doc.substring(doc.indexOf("\n## Budgets"));
        List<String> rows = section.lines().takeWhile(l -> !l.startsWith("## ") || l.startsWith("## Budgets"))
                .filter(l -> l.startsWith("| `")).toList();
        List<String> header = List.of(section.lines().filter(l -> l.startsWith("| profile")).findFirst()
                .orElseThrow().split("\\|"));
        int limit = header.stream().map(String::strip).toList().indexOf("memory limit");
        Map<String, String> out = new LinkedHashMap<>();
        for (String row : rows) {
            String[] cells = row.split("\\|");
            out.put(cells[1].strip().replace("`", ""), cells[limit].strip());
        }
        return out;
    }

    @Test
    void budgetTable_limitsAreJvmEnvs_oneRowPerProfile() throws IOException {
        JvmEnv env = JvmEnv.load();
        Map<String, String> documented = documentedLimits();
        assertEquals(PROFILES, List.copyOf(documented.keySet()));
        for (String p : PROFILES) {
            String key = "AIOT_MEMORY_LIMIT_" + p.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            assertEquals(env.vars().get(key), documented.get(p), p);
        }
    }

    @Test
    void flagsBlock_isJvmEnvWithoutItsComments() throws IOException {
        List<String> blocks = DocsExamplesTest.blocks("docs/operations.md", "env");
        assertEquals(1, blocks.size());
        List<String> shipped = Files.readAllLines(JvmEnv.FILE, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertEquals(shipped, blocks.get(0).lines().toList());
        assertTrue(shipped.stream().anyMatch(l -> l.startsWith("AIOT_JVM_COMMON=")));
    }
}
