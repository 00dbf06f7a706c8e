package io.aiotedge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiotedge.storage.Database;
import io.aiotedge.support.Backend;
import io.aiotedge.support.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The pipeline_runs table on both databases: generated ids, updates, newest-first listing, cleanup. */
class RunStoreTest {
    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();

    @TempDir
    Path dir;
    private Database db;

    @AfterEach
    void stop() {
        if (db != null) {
            db.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void create_returnsTheGeneratedId_andRecentListsNewestFirst(Backend backend) throws Exception {
        db = backend.start(PG, dir);
        RunStore s = new RunStore(db::dataSource);
        long a = s.create("manual", 10, List.of());
        long b = s.create("schedule", 20, List.of());
        long c = s.create("manual", 30, List.of());
        assertEquals(List.of(a + 1, a + 2), List.of(b, c));
        s.update(b, RunStatus.SUCCEEDED, 25L, List.of(), 7, "promoted v7");
        PipelineRun got = s.find(b).orElseThrow();
        assertEquals(RunStatus.SUCCEEDED, got.status());
        assertEquals(7, got.modelVersion());
        assertEquals("promoted v7", got.outcome());
        assertEquals(List.of(c, b), s.recent(2).stream().map(PipelineRun::id).toList());
        assertEquals(2, s.failAbandoned(40), "the queued ones");
        assertEquals(RunStatus.FAILED, s.find(a).orElseThrow().status());
        assertEquals(0, s.failAbandoned(41));
    }
}
