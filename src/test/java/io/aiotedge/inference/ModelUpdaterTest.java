package io.aiotedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.tflite.Backend;
import io.aiotedge.wire.ModelSignatures;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The updater against a real HTTP server that can cut a download short or serve other bytes. */
class ModelUpdaterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    HttpServer server;
    final AtomicReference<byte[]> served = new AtomicReference<>();
    final AtomicInteger cutNextAt = new AtomicInteger(-1);
    final AtomicInteger rangeRequests = new AtomicInteger();
    final AtomicInteger extraBytes = new AtomicInteger();
    final java.util.Queue<String> requests = new java.util.concurrent.ConcurrentLinkedQueue<>();
    KeyPair keys;

    @BeforeEach
    void start() throws Exception {
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            byte[] all = served.get();
            if (extraBytes.get() > 0) { // a server that sends more than the announced size
                all = java.util.Arrays.copyOf(all, all.length + extraBytes.get());
            }
            String range = ex.getRequestHeaders().getFirst("Range");
            int from = 0;
            if (range != null) {
                rangeRequests.incrementAndGet();
                from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
                ex.getResponseHeaders().add("Content-Range",
                        "bytes " + from + "-" + (all.length - 1) + "/" + all.length);
                ex.sendResponseHeaders(206, all.length - from);
            } else {
                ex.sendResponseHeaders(200, all.length);
            }
            int cut = cutNextAt.getAndSet(-1);
            try (OutputStream out = ex.getResponseBody()) {
                int to = cut > 0 ? cut : all.length;
                out.write(all, from, to - from);
                out.flush();
                if (cut > 0) {
                    throw new java.io.IOException("cut");
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    ModelUpdater updater() {
        return new ModelUpdater(dir, Backend.JAVA, keys.getPublic(), "node:n1.s3cret",
                "http://127.0.0.1:" + server.getAddress().getPort(), "m", 1 << 20);
    }

    byte[] model(float weight) {
        return TfliteExporter.floatModel(new DenseNet(List.of(new DenseNet.Layer(new float[][] {{weight}},
                new float[] {0f}, false))), "m");
    }

    byte[] announce(byte[] model, int version, List<String> features, KeyPair signer) throws Exception {
        return JSON.writeValueAsBytes(announcement(model, version, features, signer));
    }

    /** An announcement as the registry writes it, both signatures by {@code signer}. */
    ObjectNode announcement(byte[] model, int version, List<String> features, KeyPair signer) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        ObjectNode a = JSON.createObjectNode().put("name", "m").put("version", version).put("sha256", sha)
                .put("size", model.length).put("format", "tflite").put("url", "http://unused/m").put("path", "/m")
                .put("signature", sign(signer, ModelSignatures.statement("m", version, sha, model.length)));
        a.putObject("inputSchema").set("features", JSON.valueToTree(features));
        a.putObject("quantization");
        a.put("metadataSignature",
                sign(signer, ModelSignatures.metadataStatement(JSON.readTree(JSON.writeValueAsString(a)))));
        return a;
    }

    static String sign(KeyPair signer, byte[] statement) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(signer.getPrivate());
        s.update(statement);
        return Base64.getEncoder().encodeToString(s.sign());
    }

    @Test
    void anInterruptedDownload_resumesWithARange_andTheModelServes() throws Exception {
        byte[] m = model(2f);
        served.set(m);
        cutNextAt.set(m.length / 2);
        ModelUpdater u = updater();
        LoadedModel loaded = u.update(announce(m, 1, List.of("x"), keys));
        assertEquals(1, loaded.version());
        assertEquals(1, rangeRequests.get(), "the second attempt asked for the rest only");
        assertEquals(1.0 / (1 + Math.exp(-2)), loaded.score(new float[] {1f}), 1e-6);
        assertTrue(Files.exists(dir.resolve(ModelUpdater.CURRENT)));
    }

    @Test
    void tamperedFile_wrongSignature_wrongSchema_areRefused_andTheOldModelKeepsServing() throws Exception {
        byte[] good = model(1f);
        served.set(good);
        ModelUpdater u = updater();
        u.update(announce(good, 1, List.of("x"), keys));

        byte[] next = model(3f);
        byte[] tampered = next.clone();
        tampered[tampered.length - 20] ^= 0x10;
        served.set(tampered);
        assertTrue(assertThrows(ModelUpdater.Rejected.class, () -> u.update(announce(next, 2, List.of("x"), keys)))
                .getMessage().contains("sha256"));
        assertEquals(1, u.current().version());

        served.set(next);
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertTrue(assertThrows(ModelUpdater.Rejected.class, () -> u.update(announce(next, 2, List.of("x"), other)))
                .getMessage().contains("signature"));
        assertTrue(assertThrows(ModelUpdater.Rejected.class, () -> u.update(announce(next, 2, List.of("x", "y"), keys)))
                .getMessage().contains("schema lists 2 features"));
        assertThrows(ModelUpdater.Rejected.class, () -> u.update("{not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, u.current().version());
        assertEquals(0.5, u.current().score(new float[] {0f}), 1e-6);

        u.update(announce(next, 2, List.of("x"), keys));
        assertEquals(2, u.current().version());
        assertTrue(u.rollback());
        assertEquals(1, u.current().version());
    }

    @Test
    void aRestart_restoresTheLastGoodModel_withoutTheNetwork_butNotAFileChangedOnDisk() throws Exception {
        byte[] m = model(1f);
        served.set(m);
        updater().update(announce(m, 1, List.of("x"), keys));
        server.stop(0);
        ModelUpdater after = updater();
        assertTrue(after.restore());
        assertEquals(1, after.current().version());
        try (var files = Files.list(dir)) {
            Path file = files.filter(p -> p.toString().endsWith(".tflite")).findFirst().orElseThrow();
            byte[] b = Files.readAllBytes(file);
            b[b.length - 20] ^= 1;
            Files.write(file, b);
        }
        assertFalse(updater().restore(), "a model file changed on disk is not loaded");
    }

    @Test
    void aForgedUrl_isNeverFetched_theConfiguredPlatformIs_withTheNodeToken() throws Exception {
        byte[] m = model(2f);
        served.set(m);
        ObjectNode a = announcement(m, 1, List.of("x"), keys);
        a.put("url", "http://127.0.0.1:9/steal").put("path", "/steal"); // not covered by any signature
        updater().update(JSON.writeValueAsBytes(a));
        assertEquals(List.of("/api/v1/models/m/versions/1/download Bearer node:n1.s3cret"), List.copyOf(requests));
    }

    @Test
    void aServerSendingMoreThanAnnounced_isReadOnlyUpToTheAnnouncedSize() throws Exception {
        byte[] m = model(2f);
        served.set(m);
        extraBytes.set(5 << 20);
        assertEquals(1, updater().update(announce(m, 1, List.of("x"), keys)).version());
        assertEquals(1, requests.size(), "one request, cut off at the announced size");
        try (var files = Files.list(dir)) {
            assertTrue(files.allMatch(p -> p.toFile().length() <= m.length),
                    "nothing past the announced size was kept");
        }
    }

    @Test
    void anotherModelsName_aTooLargeSize_andAPathInTheName_areRefusedBeforeAnyDownload() throws Exception {
        byte[] m = model(2f);
        served.set(m);
        ObjectNode other = announcement(m, 1, List.of("x"), keys);
        other.put("name", "other");
        assertTrue(assertThrows(ModelUpdater.Rejected.class, () -> updater().update(JSON.writeValueAsBytes(other)))
                .getMessage().contains("this node follows model m"));
        ObjectNode huge = announcement(m, 1, List.of("x"), keys);
        huge.put("size", 2L << 20);
        assertTrue(assertThrows(ModelUpdater.Rejected.class, () -> updater().update(JSON.writeValueAsBytes(huge)))
                .getMessage().contains("inference.maxModelBytes"));
        ObjectNode traversal = announcement(m, 1, List.of("x"), keys);
        traversal.put("name", "../../etc/m");
        assertTrue(assertThrows(ModelUpdater.Rejected.class, () -> updater().update(JSON.writeValueAsBytes(traversal)))
                .getMessage().contains("not a model name"));
        assertEquals(List.of(), List.copyOf(requests));
    }

    @Test
    void unsignedMetadata_aChangedSchemaOrNormalisation_isRefused() throws Exception {
        byte[] m = model(2f);
        served.set(m);
        ObjectNode a = announcement(m, 1, List.of("x"), keys);
        ((ObjectNode) a.get("inputSchema")).putObject("normalisation").put("note", "changed after signing");
        assertTrue(assertThrows(ModelUpdater.Rejected.class, () -> updater().update(JSON.writeValueAsBytes(a)))
                .getMessage().contains("metadata signature does not verify"));
        ObjectNode q = announcement(m, 1, List.of("x"), keys);
        ((ObjectNode) q.get("quantization")).put("scale", 0.5);
        assertThrows(ModelUpdater.Rejected.class, () -> updater().update(JSON.writeValueAsBytes(q)));
        ObjectNode none = announcement(m, 1, List.of("x"), keys);
        none.remove("metadataSignature");
        assertThrows(ModelUpdater.Rejected.class, () -> updater().update(JSON.writeValueAsBytes(none)));
        assertEquals(null, updater().current());
    }

    @Test
    void anOlderVersion_isRefused_unlessTheRegistrySignedARollbackThatSupersedesTheServedOne() throws Exception {
        byte[] v1 = model(1f);
        byte[] v2 = model(3f);
        ModelUpdater u = updater();
        served.set(v1);
        u.update(announce(v1, 1, List.of("x"), keys));
        served.set(v2);
        u.update(announce(v2, 2, List.of("x"), keys));
        served.set(v1);
        assertTrue(assertThrows(ModelUpdater.Rejected.class, () -> u.update(announce(v1, 1, List.of("x"), keys)))
                .getMessage().contains("not newer than the served v2"));
        ObjectNode stale = announcement(v1, 1, List.of("x"), keys);
        String sha = stale.get("sha256").asText();
        stale.putObject("rollback").put("supersedes", 1).put("signature",
                sign(keys, ModelSignatures.rollbackStatement("m", 1, sha, 1)));
        assertThrows(ModelUpdater.Rejected.class, () -> u.update(JSON.writeValueAsBytes(stale)),
                "a rollback that supersedes only older versions (a replay) is refused");
        ObjectNode forged = announcement(v1, 1, List.of("x"), keys);
        forged.putObject("rollback").put("supersedes", 2).put("signature",
                stale.get("rollback").get("signature").asText());
        assertThrows(ModelUpdater.Rejected.class, () -> u.update(JSON.writeValueAsBytes(forged)));
        assertEquals(2, u.current().version());

        ObjectNode rollback = announcement(v1, 1, List.of("x"), keys);
        rollback.putObject("rollback").put("supersedes", 2).put("signature",
                sign(keys, ModelSignatures.rollbackStatement("m", 1, sha, 2)));
        assertEquals(1, u.update(JSON.writeValueAsBytes(rollback)).version());
    }
}
