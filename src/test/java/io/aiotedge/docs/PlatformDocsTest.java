package io.aiotedge.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.models.ModelMetadata;
import io.aiotedge.models.ModelSigner;
import io.aiotedge.support.DocExamples;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples in docs/platform.md are what the code reads and writes. */
class PlatformDocsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static Map<String, JsonNode> examples() throws Exception {
        return DocExamples.read(Path.of("docs/platform.md"));
    }

    @Test
    void everyExample_isThere_andParses() throws Exception {
        assertEquals(java.util.Set.of("provisioned", "status", "metadata", "announcement", "rollout", "rollout_message",
                "node_report", "backup", "session", "fleet", "fleetDevice", "alert", "rollbackAlert", "lineageVerify",
                "node",
                "sseFleet", "ssePoints"),
                examples().keySet());
    }

    @Test
    void theMetadataExample_isAcceptedByTheRegistry() throws Exception {
        ModelMetadata md = ModelMetadata.fromJson(examples().get("metadata"));
        assertEquals(2, md.inputSchema().get("features").size());
    }

    @Test
    void theStatusExample_isAcceptedByTheRegistry() throws Exception {
        byte[] payload = JSON.writeValueAsBytes(examples().get("status"));
        assertEquals("downloading", io.aiotedge.devices.StatusReportProbe.rolloutState(payload));
    }

    @Test
    void theAnnouncementExample_hasTheFieldsTheCodeWrites_andItsStatementMatches() throws Exception {
        JsonNode a = examples().get("announcement");
        JsonNode written = JSON.valueToTree(io.aiotedge.models.Announcer.body(new io.aiotedge.models.ModelVersion(
                "m", 1, "ab", 1, "f", "tflite", "s", "ms", JSON.createObjectNode(), JSON.createObjectNode(),
                JSON.createObjectNode(), JSON.createObjectNode(), JSON.createObjectNode(), 0, "x", java.util.List.of()),
                "champion", "http://h", new io.aiotedge.models.Announcer.Rollback(2, "rs")));
        java.util.Set<String> docFields = new java.util.TreeSet<>();
        a.fieldNames().forEachRemaining(docFields::add);
        java.util.Set<String> codeFields = new java.util.TreeSet<>();
        written.fieldNames().forEachRemaining(codeFields::add);
        assertEquals(codeFields, docFields);
        String statement = new String(ModelSigner.statement(a.get("name").asText(), a.get("version").asInt(),
                a.get("sha256").asText(), a.get("size").asLong()), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(statement, a.get("signedStatement").asText());
        assertTrue(a.get("url").asText().endsWith(a.get("path").asText()));
    }

    @Test
    void theRolloutMessageExample_carriesItsStatement_andItsCandidateIsAnAnnouncementBody() throws Exception {
        JsonNode m = examples().get("rollout_message");
        assertEquals(new String(io.aiotedge.wire.ModelSignatures.rolloutStatement(m),
                java.nio.charset.StandardCharsets.UTF_8), m.get("signedStatement").asText());
        java.util.Set<String> candidate = new java.util.TreeSet<>();
        m.get("candidate").fieldNames().forEachRemaining(candidate::add);
        java.util.Set<String> announcement = new java.util.TreeSet<>();
        examples().get("announcement").fieldNames().forEachRemaining(announcement::add);
        announcement.remove("rollback");
        assertEquals(announcement, candidate);
        assertEquals("candidate", m.get("candidate").get("alias").asText());
        assertEquals(m.get("rolloutId").asText(), m.get("targeting").get("salt").asText());
    }

    @Test
    void theNodeReportExample_namesEveryCounterTheReportStoreReads() throws Exception {
        JsonNode device = examples().get("node_report").get("devices").get(0);
        java.util.Set<String> fields = new java.util.TreeSet<>();
        device.fieldNames().forEachRemaining(fields::add);
        java.util.Set<String> expected = new java.util.TreeSet<>(io.aiotedge.models.NodeReports.COUNTS);
        expected.addAll(java.util.List.of("device", "servedBy", "deciles"));
        assertEquals(expected, fields);
        assertEquals(10, device.get("deciles").size());
    }
}
