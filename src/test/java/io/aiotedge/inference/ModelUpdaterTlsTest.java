package io.aiotedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.aiotedge.certs.PlantCa;
import io.aiotedge.certs.SubjectNames;
import io.aiotedge.config.TrustConfig;
import io.aiotedge.tflite.Backend;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS model downloads trust the platform through {@code tls.trustStore}, and only through it. */
class ModelUpdaterTlsTest {
    @TempDir
    Path dir;
    HttpsServer server;
    String password;
    byte[] model;
    final ModelUpdaterTest signed = new ModelUpdaterTest();

    @BeforeEach
    void startHttps() throws Exception {
        Path certs = dir.resolve("certs");
        PlantCa ca = new PlantCa(certs, Clock.systemUTC());
        ca.create("test CA", 2, null);
        ca.issueNode("plat1", new SubjectNames(List.of("127.0.0.1"), List.of()), 2, null);
        password = Files.readString(certs.resolve("store-password"), StandardCharsets.UTF_8).strip();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.resolve("plat1.p12"))) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        signed.keys = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        model = signed.model(3f);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(200, model.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(model);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ModelUpdater updater(Path into, TrustConfig trust) {
        return new ModelUpdater(into, Backend.JAVA, signed.keys.getPublic(), "node:n1.s3cret",
                "https://127.0.0.1:" + server.getAddress().getPort(), "m", 1 << 20, trust);
    }

    @Test
    void httpsDownload_withTheTrustStore_installs() throws Exception {
        TrustConfig trust = new TrustConfig(dir.resolve("certs").resolve("truststore.p12"), password);
        LoadedModel loaded = updater(dir.resolve("a"), trust).update(signed.announce(model, 1, List.of("x"),
                signed.keys));
        assertEquals(1, loaded.version());
    }

    @Test
    void httpsDownload_withTheJvmTrustStore_isRefusedByTheHandshake() throws Exception {
        byte[] announcement = signed.announce(model, 1, List.of("x"), signed.keys);
        ModelUpdater.Rejected e = assertThrows(ModelUpdater.Rejected.class,
                () -> updater(dir.resolve("b"), TrustConfig.JVM).update(announcement));
        assertTrue(e.getMessage().startsWith("cannot download m v1 from https://127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains("PKIX path building failed"), e.getMessage());
    }
}
