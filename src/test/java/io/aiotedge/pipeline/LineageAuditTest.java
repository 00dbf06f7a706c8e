package io.aiotedge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.core.Rejection;
import io.aiotedge.datastore.FeatureRow;
import io.aiotedge.datastore.FeatureStore;
import io.aiotedge.models.Announcer;
import io.aiotedge.models.ModelMetadata;
import io.aiotedge.models.ModelRegistry;
import io.aiotedge.storage.Database;
import io.aiotedge.support.ManualClock;
import io.aiotedge.support.Models;
import io.aiotedge.wire.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lineage verify} on real H2: after a real extract the rows hash the same (rows added later,
 * even inside the time range, are not the training set's); a row changed or deleted in the range is
 * a mismatch with both hashes; retention having deleted the set's oldest rows, or a version without
 * a recorded hash, is "cannot tell", never a mismatch.
 */
class LineageAuditTest {
    private static final Json JSON = Json.mapper();
    private static final long T0 = 1_795_700_000_000L;
    private static final long FROM = T0 - 3_600_000;
    private static final long TO = T0;

    @TempDir
    Path dir;
    private Database db;
    private FeatureStore features;
    private ModelRegistry models;
    private LineageAudit audit;

    @BeforeEach
    void start() {
        ManualClock clock = new ManualClock(T0);
        db = new Database(dir, 2);
        models = new ModelRegistry(db::dataSource, dir, new Announcer(() -> null, null, false, false, false),
                () -> "http://localhost:1", clock, 1 << 20, (b, n) -> Optional.empty(), new SimpleMeterRegistry());
        features = new FeatureStore(db::dataSource);
        db.start();
        models.start();
        audit = new LineageAudit(features, models);
    }

    @AfterEach
    void stop() {
        models.stop();
        db.stop();
    }

    private void insert(String prefix, int n, long ts0) {
        List<FeatureRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new FeatureRow(0, prefix + i, "motor-00" + (i % 3), ts0 + i * 1000L, null,
                    i % 5 == 0 ? null : i % 2 == 0 ? "healthy" : "bearing-wear", List.of("a", "b"),
                    new double[] {i * 0.5, 1.0 / (i + 1)}, "test"));
        }
        features.insert(rows, T0);
    }

    /** A version registered with the lineage a pipeline run records, from a real extract. */
    private int trained() throws Exception {
        Extract.Result ex = Extract.run(new LocalPlatformAccess(features, models, null), FROM, TO);
        ObjectNode meta = JSON.createObjectNode();
        meta.putObject("inputSchema").set("features", JSON.valueToTree(List.of("a", "b")));
        ObjectNode lineage = meta.putObject("lineage").put("pipelineRun", 1).put("dataFrom", ex.from())
                .put("dataTo", ex.to()).put("rows", ex.data().size());
        lineage.set("trainingSet", ex.trainingSet());
        return models.register("motor", new ByteArrayInputStream(Models.servable(2, 0, 1)),
                ModelMetadata.fromJson(meta), "pipeline").version();
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    private long rowId(int nth) {
        return features.query(new io.aiotedge.datastore.RowQuery(FROM, TO, null, null, 0, 1000)).get(nth).id();
    }

    @Test
    void afterARealExtract_theRowsMatch_andRowsStoredLaterInTheRangeAreNotTheTrainingSets() throws Exception {
        insert("a", 60, FROM + 1000);
        int v = trained();
        JsonNode r = audit.verify("motor", v);
        assertEquals(true, r.get("match").asBoolean(), r.toString());
        assertEquals(48, r.get("recorded").get("rows").asInt(), "60 rows less 12 unlabelled");
        assertEquals(r.get("recorded").get("sha256"), r.get("now").get("sha256"));
        assertEquals(r.get("recorded").get("firstId").asLong(), r.get("now").get("firstId").asLong());
        insert("late", 10, FROM + 500); // late arrivals: inside the time range, after the extract
        assertEquals(true, audit.verify("motor", v).get("match").asBoolean());
    }

    private static java.util.Set<String> names(JsonNode n) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void aRowChangedOrDeletedInTheRange_isAMismatchWithBothHashes() throws Exception {
        insert("a", 60, FROM + 1000);
        int v = trained();
        String recorded = audit.verify("motor", v).get("recorded").get("sha256").asText();
        long middle = rowId(31);
        sql("UPDATE telemetry_rows SET label = 'misaligned' WHERE id = " + middle);
        JsonNode changed = audit.verify("motor", v);
        assertEquals(false, changed.get("match").asBoolean());
        assertEquals(true, changed.get("verifiable").asBoolean());
        assertEquals(recorded, changed.get("recorded").get("sha256").asText());
        assertNotEquals(recorded, changed.get("now").get("sha256").asText());
        assertEquals(48, changed.get("now").get("rows").asInt(), "same rows, one relabelled");
        sql("UPDATE telemetry_rows SET label = 'bearing-wear' WHERE id = " + middle);
        assertEquals(true, audit.verify("motor", v).get("match").asBoolean(), "changed back: the same again");
        sql("DELETE FROM telemetry_rows WHERE id = " + middle);
        JsonNode deleted = audit.verify("motor", v);
        assertEquals(false, deleted.get("match").asBoolean());
        assertEquals(47, deleted.get("now").get("rows").asInt());
        assertEquals(names(io.aiotedge.support.DocExamples.read(Path.of("docs/platform.md")).get("lineageVerify")),
                names(deleted), "docs/platform.md's lineageVerify example has the answer's fields");
        assertEquals(names(deleted.get("recorded")), names(io.aiotedge.support.DocExamples.read(
                Path.of("docs/platform.md")).get("lineageVerify").get("recorded")));
        assertEquals(names(deleted.get("now")), names(io.aiotedge.support.DocExamples.read(
                Path.of("docs/platform.md")).get("lineageVerify").get("now")));
        assertEquals("the rows " + deleted.get("recorded").get("firstId") + ".." + deleted.get("recorded")
                .get("lastId") + " changed since extract time (a row was changed or deleted)",
                deleted.get("reason").asText());
    }

    @Test
    void retentionHavingDeletedTheOldestRows_orNoRecordedHash_isCannotTell_andAnUnknownVersionIs404()
            throws Exception {
        insert("a", 60, FROM + 1000);
        int v = trained();
        features.trim(0, 20); // keeps the newest 20 rows
        JsonNode trimmed = audit.verify("motor", v);
        assertTrue(trimmed.get("match").isNull(), trimmed.toString());
        assertEquals(false, trimmed.get("verifiable").asBoolean());
        assertTrue(trimmed.get("reason").asText().startsWith("datastore retention has deleted rows of this "
                + "training set"), trimmed.get("reason").asText());
        ObjectNode meta = JSON.createObjectNode();
        meta.putObject("inputSchema").set("features", JSON.valueToTree(List.of("a", "b")));
        int byHand = models.register("motor", new ByteArrayInputStream(Models.servable(2, 0, 2)),
                ModelMetadata.fromJson(meta), "admin").version();
        JsonNode none = audit.verify("motor", byHand);
        assertTrue(none.get("match").isNull());
        assertTrue(none.get("recorded").isNull());
        assertEquals("motor v" + byHand + " records no training-set hash to check (not trained by the pipeline, or "
                + "trained before hashes were recorded, or on no rows)", none.get("reason").asText());
        assertEquals(Rejection.Kind.NOT_FOUND, assertThrows(Rejection.class, () -> audit.verify("motor", 99)).kind());
        assertEquals(Rejection.Kind.NOT_FOUND, assertThrows(Rejection.class, () -> audit.verify("pump", 1)).kind());
    }
}
