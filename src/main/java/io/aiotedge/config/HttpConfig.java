package io.aiotedge.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The HTTP server ({@code http.*}): health, metrics, the API.
 *
 * @param port 0 picks a free port
 * @param maxRequestBytes larger request bodies are refused with 413 (model uploads have their own
 *     limit, {@code models.maxModelBytes})
 * @param keystorePath PKCS#12 or JKS keystore; when set the port serves HTTPS only (the reference
 *     firmware pins the server certificate); null = plain HTTP
 */
public record HttpConfig(String bindAddress, int port, long maxRequestBytes, Path keystorePath,
        String keystorePassword) {

    public boolean tls() {
        return keystorePath != null;
    }

    static HttpConfig read(ConfigReader r) {
        String ks = r.optionalString("http.tls.keystorePath");
        Path keystore = ks == null || ks.isBlank() ? null : Path.of(ks);
        if (keystore != null && !Files.isReadable(keystore)) {
            r.problem("http.tls.keystorePath", "cannot read " + keystore);
        }
        return new HttpConfig(r.nonBlank("http.bindAddress"), r.port("http.port"),
                r.longValue("http.maxRequestBytes", 1024, 1L << 31), keystore, r.string("http.tls.keystorePassword"));
    }
}
