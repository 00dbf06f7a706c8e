package io.aiotedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.aiotedge.config.TrustConfig;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.tflite.Backend;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The candidate slot against a real HTTP server and signed rollout messages. */
class CandidateSlotTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    HttpServer server;
    KeyPair keys;
    byte[] candidate;
    final AtomicInteger downloads = new AtomicInteger();
    /** When set, the first download waits on it (after counting {@link #downloading} down). */
    volatile CountDownLatch hold;
    final CountDownLatch downloading = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        candidate = TfliteExporter.floatModel(
                new DenseNet(List.of(new DenseNet.Layer(new float[][] {{2f}}, new float[] {0f}, false))), "m");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            if (downloads.incrementAndGet() == 1 && hold != null) {
                downloading.countDown();
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ex.sendResponseHeaders(200, candidate.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(candidate);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2)); // a held download blocks one
        server.start();
    }

    @AfterEach
    void stop() {
        CountDownLatch h = hold;
        if (h != null) {
            h.countDown();
        }
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    ModelFetcher fetcher() {
        return new ModelFetcher(Backend.JAVA, keys.getPublic(), "node:n1.s", "http://127.0.0.1:"
                + server.getAddress().getPort(), "m", 1 << 20, TrustConfig.JVM);
    }

    CandidateSlot slot() {
        return new CandidateSlot(dir.resolve("candidate"), fetcher());
    }

    /** A rollout message as docs/platform.md shows it, signed by {@code signer}. */
    byte[] message(String stage, long seq, KeyPair signer) throws Exception {
        return message("ro-1", stage, seq, signer);
    }

    byte[] message(String rolloutId, String stage, long seq, KeyPair signer) throws Exception {
        ModelUpdaterTest helper = new ModelUpdaterTest();
        ObjectNode cand = helper.announcement(candidate, 2, List.of("x"), signer).put("lineageId", "0123456789abcdef");
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 1).put("rolloutId", rolloutId).put("name", "m")
                .put("stage", stage).put("seq", seq).put("fromVersion", 1);
        m.set("candidate", cand);
        ObjectNode t = m.putObject("targeting").put("percent", 0.0).put("salt", rolloutId);
        t.putArray("devices").add("motor-001");
        t.putArray("nodes");
        m.put("signature", "unsigned");
        RolloutMessage parsed = RolloutMessage.parse(JSON.writeValueAsBytes(m));
        m.put("signature", ModelUpdaterTest.sign(signer, parsed.statement()));
        return JSON.writeValueAsBytes(m);
    }

    @Test
    void statement_isTheDocumentedText() throws Exception {
        RolloutMessage r = RolloutMessage.parse(message("canary", 2, keys));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(candidate));
        String targeting = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                "{\"devices\":[\"motor-001\"],\"nodes\":[],\"percent\":0,\"salt\":\"ro-1\"}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals("aiot-rollout-v1\nm\nro-1\n2\n2\n" + sha + "\ncanary\n" + targeting + "\n",
                new String(r.statement(), StandardCharsets.UTF_8));
    }

    @Test
    void apply_signedCanary_loadsCandidate_targetsListedDevice_keepsFileAndMessage() throws Exception {
        CandidateSlot s = slot();
        CandidateSlot.Active a = s.apply(message("canary", 1, keys), () -> null);
        assertNotNull(a);
        assertEquals(2, a.model().version());
        assertEquals("0123456789abcdef", a.model().lineageId());
        assertTrue(a.serves("motor-001", "n1"));
        assertFalse(a.serves("motor-002", "n1"));
        assertEquals("loaded", s.state());
        assertTrue(Files.exists(dir.resolve("candidate").resolve(CandidateSlot.META)));
        assertEquals(1, downloads.get());
        s.close();
    }

    @Test
    void apply_forgedOrReplayed_changesNothing() throws Exception {
        CandidateSlot s = slot();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertTrue(assertThrows(ModelUpdater.Rejected.class, () -> s.apply(message("canary", 1, other), () -> null))
                .getMessage().contains("signature does not verify"));
        assertNull(s.active());
        byte[] tampered = new String(message("shadow", 1, keys), StandardCharsets.UTF_8)
                .replace("\"motor-001\"", "\"motor-002\"").getBytes(StandardCharsets.UTF_8);
        assertThrows(ModelUpdater.Rejected.class, () -> s.apply(tampered, () -> null));
        CandidateSlot.Active canary = s.apply(message("canary", 3, keys), () -> null);
        assertSame(canary, s.apply(message("shadow", 2, keys), () -> null),
                "an older seq of the same rollout is ignored");
        assertEquals("canary", s.active().stage());
        assertEquals(1, downloads.get());
        s.close();
    }

    @Test
    void apply_stageChange_keepsTheLoadedEngine_rolledBackEmptiesTheSlot() throws Exception {
        CandidateSlot s = slot();
        CandidateSlot.Active shadow = s.apply(message("shadow", 1, keys), () -> null);
        CandidateSlot.Active canary = s.apply(message("canary", 2, keys), () -> null);
        assertSame(shadow.model(), canary.model());
        assertEquals(1, downloads.get());
        assertNull(s.apply(message("rolled-back", 3, keys), () -> null));
        assertEquals("none", s.state());
        assertFalse(Files.exists(dir.resolve("candidate").resolve(CandidateSlot.META)));
        s.close();
    }

    @Test
    void anEndedRolloutsSignedCanary_replayedAfterARestart_isRefused_aNewerRolloutIsNot() throws Exception {
        CandidateSlot s = slot();
        byte[] captured = message("ro-1", "canary", 2, keys);
        assertEquals("canary", s.apply(captured, () -> null).stage());
        assertNull(s.apply(message("ro-1", "rolled-back", 3, keys), () -> null));
        s.close();
        CandidateSlot again = slot();
        assertFalse(again.restore(null), "nothing kept after the rollback");
        String why = assertThrows(ModelUpdater.Rejected.class, () -> again.apply(captured, () -> null)).getMessage();
        assertEquals("rollout ro-1 seq 2 is not above 3, the highest this node has acted on: a replayed message", why);
        assertNull(again.active(), "the rejected candidate is not back");
        assertEquals("canary", again.apply(message("ro-2", "canary", 4, keys), () -> null).stage(),
                "the next rollout starts above every earlier seq");
        again.close();
    }

    @Test
    void restore_afterRestart_reloadsWithoutNetwork_andIgnoresTheRetainedRepeat() throws Exception {
        CandidateSlot first = slot();
        first.apply(message("canary", 4, keys), () -> null);
        first.close();
        server.stop(0);
        CandidateSlot again = slot();
        assertTrue(again.restore(null));
        assertEquals("canary", again.active().stage());
        assertSame(again.active(), again.apply(message("canary", 4, keys), () -> null));
        again.close();
    }

    @Test
    void bytesOf_andChampionIs_adoptTheCandidate_thenDropIt() throws Exception {
        CandidateSlot s = slot();
        s.apply(message("full", 1, keys), () -> null);
        Announcement a = s.active().rollout().candidate();
        assertEquals(candidate.length, s.bytesOf(a).length);
        ModelUpdater u = new ModelUpdater(dir, fetcher());
        LoadedModel champion = u.update(JSON.writeValueAsBytes(a.json()), s::bytesOf);
        assertEquals(1, downloads.get(), "the champion came from the slot's file");
        s.championIs(champion);
        assertNull(s.active());
        assertNull(s.apply(message("full", 2, keys), () -> champion),
                "a candidate no newer than the champion is not loaded");
        s.close();
        champion.close();
    }

    @Test
    void aChampionChangeDuringACandidatesDownload_doesNotWaitForIt_andTheCandidateItReachedIsDropped()
            throws Exception {
        hold = new CountDownLatch(1);
        CandidateSlot s = slot();
        byte[] msg = message("canary", 1, keys);
        Announcement a = RolloutMessage.parse(msg).candidate();
        AtomicReference<LoadedModel> champion = new AtomicReference<>();
        CompletableFuture<CandidateSlot.Active> applying = CompletableFuture.supplyAsync(() -> {
            try {
                return s.apply(msg, champion::get);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        assertTrue(downloading.await(10, TimeUnit.SECONDS), "the candidate's download started");
        ModelUpdater u = new ModelUpdater(dir, fetcher());
        LoadedModel v2 = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            LoadedModel m = u.update(JSON.writeValueAsBytes(a.json()), s::bytesOf);
            champion.set(m);
            s.championIs(m);
            return m;
        }, "the champion's update and the slot's championIs do not wait for the hanging download");
        assertEquals(2, v2.version());
        assertEquals("loading", s.state());
        hold.countDown();
        assertNull(applying.get(10, TimeUnit.SECONDS), "the champion reached the candidate's version meanwhile");
        assertNull(s.active());
        assertEquals("none", s.state());
        assertFalse(Files.exists(dir.resolve("candidate").resolve(ModelFetcher.fileName(a))),
                "no candidate file is left behind");
        assertEquals(2, downloads.get());
        s.close();
        v2.close();
    }
}
