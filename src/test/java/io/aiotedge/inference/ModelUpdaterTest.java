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
import io.aiotedge.wire.ModelSignatures;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
    KeyPair keys;

    @BeforeEach
    void start() throws Exception {
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/m", ex -> {
            byte[] all = served.get();
            String range = ex.getRequestHeaders().getFirst("Range");
            int from = 0;
            if (range != null) {
                rangeRequests.incrementAndGet();
                from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (all.length - 1) + "/" + all.length);
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
        return new ModelUpdater(dir, Backend.JAVA, keys.getPublic(), null, "http://127.0.0.1:" + server.getAddress().getPort());
    }

    byte[] model(float weight) {
        return TfliteExporter.floatModel(new DenseNet(List.of(new DenseNet.Layer(new float[][] {{weight}},
                new float[] {0f}, false))), "m");
    }

    byte[] announce(byte[] model, int version, List<String> features, KeyPair signer) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(signer.getPrivate());
        s.update(ModelSignatures.statement("m", version, sha, model.length));
        ObjectNode a = JSON.createObjectNode().put("name", "m").put("version", version).put("sha256", sha)
                .put("size", model.length).put("url", "http://unused/m").put("path", "/m")
                .put("signature", Base64.getEncoder().encodeToString(s.sign()));
        a.putObject("inputSchema").set("features", JSON.valueToTree(features));
        return JSON.writeValueAsBytes(a);
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
        assertThrows(ModelUpdater.Rejected.class, () -> u.update("{not json".getBytes()));
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
}
