package io.aiotedge.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.storage.Database;
import io.aiotedge.support.Backend;
import io.aiotedge.support.PostgresServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The device, rollout and node-token tables on both databases. */
class DeviceStoreTest {
    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();

    @TempDir
    Path dir;
    private Database db;

    private DeviceStore store(Backend backend) throws Exception {
        db = backend.start(PG, dir);
        return new DeviceStore(db::dataSource);
    }

    @AfterEach
    void stop() {
        if (db != null) {
            db.stop();
        }
    }

    private static boolean add(DeviceStore s, String id, String hash) {
        return s.insert(id, "motor", Map.of("line", "A"), hash, 10, DeviceStore.VIA_API, null);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void insert_liveIdIsRefused_revokedIdIsReplacedInPlace(Backend backend) throws Exception {
        DeviceStore s = store(backend);
        assertTrue(add(s, "m-1", "h1"));
        assertFalse(add(s, "m-1", "h2"), "a live device keeps its row");
        assertEquals("h1", s.credentials("m-1").orElseThrow().secretHash());
        assertTrue(s.activate("m-1", 20));
        assertTrue(s.revoke("m-1", 30));
        assertFalse(s.revoke("m-1", 31), "revoked once");
        assertEquals(0, s.count());
        assertTrue(add(s, "m-1", "h3"), "a revoked id may be provisioned again");
        Device d = s.find("m-1").orElseThrow();
        assertEquals(Device.State.PROVISIONED, d.state());
        assertEquals(null, d.revokedAt());
        assertEquals(null, d.activatedAt());
        assertEquals("h3", s.credentials("m-1").orElseThrow().secretHash());
        assertEquals(1, s.count());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void insert_concurrentlyWithOneId_exactlyOneWins(Backend backend) throws Exception {
        DeviceStore s = store(backend);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String hash = "h" + i;
                Callable<Boolean> job = () -> add(s, "race-1", hash);
                results.add(pool.submit(job));
            }
            int won = 0;
            for (Future<Boolean> f : results) {
                won += f.get() ? 1 : 0;
            }
            assertEquals(1, won);
            assertEquals(1, s.count());
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void list_pagesInIdOrder(Backend backend) throws Exception {
        DeviceStore s = store(backend);
        for (int i = 0; i < 25; i++) {
            add(s, String.format(java.util.Locale.ROOT, "d-%02d", i), "h");
        }
        assertEquals(25, s.count());
        List<Device> page = s.list(10, 20);
        assertEquals(5, page.size());
        assertEquals("d-20", page.get(0).id());
        assertEquals("A", page.get(0).metadata().get("line"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void rollout_keepsOneRowPerDeviceAndModel_withTheLatestState(Backend backend) throws Exception {
        DeviceStore s = store(backend);
        add(s, "m-1", "h");
        add(s, "m-2", "h");
        s.rollout(new DeviceRollout("m-1", "motor-condition", 3, "downloading", "", 100));
        s.rollout(new DeviceRollout("m-1", "motor-condition", 3, "active", "ok", 200));
        s.rollout(new DeviceRollout("m-2", "motor-condition", 2, "failed", "bad hash", 150));
        List<DeviceRollout> all = s.rollouts("motor-condition", null);
        assertEquals(2, all.size());
        assertEquals(new DeviceRollout("m-1", "motor-condition", 3, "active", "ok", 200), all.get(0));
        assertEquals(1, s.rollouts("motor-condition", 2).size());
        s.seen("m-1", true, 300);
        s.reported("m-1", "1.2.0", null, 310);
        Device d = s.find("m-1").orElseThrow();
        assertTrue(d.online());
        assertEquals("1.2.0", d.firmwareVersion());
        assertEquals(310L, d.lastSeen());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void nodeTokens_issueRevokeReissue(Backend backend) throws Exception {
        store(backend);
        NodeTokens tokens = new NodeTokens(db::dataSource, Clock.systemUTC());
        String first = tokens.provision("inf-1", "admin");
        assertTrue(tokens.authenticate(first).isPresent());
        tokens.revoke("inf-1");
        assertFalse(tokens.authenticate(first).isPresent());
        String second = tokens.provision("inf-1", "admin");
        assertTrue(tokens.authenticate(second).isPresent());
        assertFalse(tokens.authenticate(first).isPresent());
        assertEquals(1, tokens.list().size());
    }
}
