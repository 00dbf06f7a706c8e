package io.aiotedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.support.PlatformNode;
import io.aiotedge.support.Proc;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS for the API from a keystore: the reference firmware's activation call over TLS. */
class PlatformTlsIT {
    @TempDir
    Path dir;

    @Test
    void withAKeystore_theApiServesHttpsOnly_andTheReferenceActivationWorksOverIt() throws Exception {
        Path ks = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Proc.Result r = Proc.run(60, List.of(keytool, "-genkeypair", "-alias", "aiot", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit"));
        assertEquals(0, r.exitCode(), r.stderr());
        try (PlatformNode node = new PlatformNode(dir.resolve("data"), "kafka.mode=off", "compat.legacyDevices=true",
                "http.tls.keystorePath=" + ks, "http.tls.keystorePassword=changeit")) {
            String admin = node.adminToken();
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(ks)).build();
            String base = "https://127.0.0.1:" + node.http();
            HttpResponse<String> prov = https.send(HttpRequest.newBuilder(URI.create(base + "/provisionDevice"))
                    .header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("device_id=777")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, prov.statusCode(), prov.body());
            // the reference flow with the one-time activation code /provisionDevice handed the admin
            String code = new com.fasterxml.jackson.databind.ObjectMapper().readTree(prov.body()).get("activationCode")
                    .asText();
            HttpResponse<String> act = https.send(HttpRequest.newBuilder(URI.create(base + "/confirmActivation"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("device_id=777&activation_code="
                            + java.net.URLEncoder.encode(code, java.nio.charset.StandardCharsets.UTF_8)))
                    .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("TRUE", act.body());
            boolean plainRefused;
            try {
                plainRefused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.http() + "/health/live")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() >= 400;
            } catch (IOException e) {
                plainRefused = true;
            }
            assertTrue(plainRefused, "plain HTTP is not served on the HTTPS port");
        }
    }

    private static SSLContext trusting(Path ks) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
