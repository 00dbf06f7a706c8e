package io.aiotedge.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.EdgeException;
import io.aiotedge.storage.Database;
import io.aiotedge.support.Backend;
import io.aiotedge.support.PostgresServer;
import io.aiotedge.wire.Json;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The model tables on both databases: versions, the unique (name, version), aliases and their history. */
class ModelStoreTest {
    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();

    @TempDir
    Path dir;
    private Database db;

    private ModelStore store(Backend backend) throws Exception {
        db = backend.start(PG, dir);
        return new ModelStore(db::dataSource);
    }

    @AfterEach
    void stop() {
        if (db != null) {
            db.stop();
        }
    }

    private static ModelVersion version(String name, int v) throws Exception {
        JsonNode obj = Json.mapper().readTree("{\"k\":" + v + "}");
        return new ModelVersion(name, v, "ab".repeat(32), 1234, name + "-v" + v + ".tflite", "tflite", "sig", "msig",
                obj, obj, obj, obj, obj, 1000L + v, "admin", List.of());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void insert_versionsReadBack_andASecondSameVersionIsRefused(Backend backend) throws Exception {
        ModelStore s = store(backend);
        assertEquals(1, s.nextVersion("motor"));
        s.insert(version("motor", 1));
        s.insert(version("motor", 2));
        s.insert(version("pump", 1));
        assertEquals(3, s.nextVersion("motor"));
        assertEquals(List.of("motor", "pump"), s.names());
        ModelVersion got = s.find("motor", 2).orElseThrow();
        assertEquals(version("motor", 2).metrics(), got.metrics());
        assertEquals("motor-v2.tflite", got.fileName());
        assertTrue(s.fileNameTaken("pump-v1.tflite"));
        assertEquals(3, s.findBySha("ab".repeat(32)).size());
        assertThrows(EdgeException.class, () -> s.insert(version("motor", 2)), "unique (name, version)");
        assertEquals(2, s.versionsOf("motor").size());
        assertTrue(s.delete("motor", 1));
        assertEquals(1, s.versionsOf("motor").size());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void changeAliases_setsMovesAndRemoves_withOneHistoryRowPerChange(Backend backend) throws Exception {
        ModelStore s = store(backend);
        s.insert(version("motor", 1));
        s.insert(version("motor", 2));
        s.changeAliases("motor", Map.of("champion", 1, "candidate", 2), "admin", 10, "first");
        assertEquals(Map.of("candidate", 2, "champion", 1), s.aliases("motor"));
        s.changeAliases("motor", Map.of("champion", 2), "pipeline", 20, "promote");
        s.changeAliases("motor", Map.of("champion", 2), "pipeline", 21, "no change, no history");
        Map<String, Integer> remove = new HashMap<>();
        remove.put("candidate", null);
        s.changeAliases("motor", remove, "admin", 30, "drop");
        assertEquals(Map.of("champion", 2), s.aliases("motor"));
        List<AliasChange> h = s.history("motor");
        assertEquals(4, h.size());
        assertEquals(new AliasChange("motor", "champion", 1, 2, "pipeline", 20, "promote"), h.get(2));
        assertEquals(new AliasChange("motor", "candidate", 2, null, "admin", 30, "drop"), h.get(3));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void nextVersion_afterTheNewestIsDeleted_neverReusesItsNumber(Backend backend) throws Exception {
        ModelStore s = store(backend);
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, s.nextVersion("motor"));
            s.insert(version("motor", i));
        }
        assertTrue(s.delete("motor", 3));
        assertEquals(3, s.maxVersion("motor"), "the highest number ever handed out");
        assertEquals(4, s.nextVersion("motor"));
        assertEquals(1, s.nextVersion("pump"));
        new VersionRows(db::dataSource).reject("motor", 2, "bound broken", 77);
        ModelVersion rejected = s.find("motor", 2).orElseThrow();
        assertEquals(ModelVersion.REJECTED, rejected.status());
        assertEquals("bound broken", rejected.statusReason());
        assertEquals(ModelVersion.REGISTERED, s.find("motor", 1).orElseThrow().status());
        assertEquals(ModelVersion.lineageIdOf(version("motor", 1).lineage()), s.find("motor", 1).orElseThrow()
                .lineageId());
    }
}
