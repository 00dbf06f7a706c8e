package io.aiotedge.support.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.support.Metrics;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** HTTP(S) to the fleet's nodes from this JVM, trusting only the plant CA. */
public final class FleetHttp {
    private final HttpClient http;

    /** Plain HTTP, or HTTPS with the JVM's trust. */
    public FleetHttp() {
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    public FleetHttp(Path truststore, String password) throws IOException, GeneralSecurityException {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            ts.load(in, password.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(3)).build();
    }

    /** A response: status and body. */
    public record Res(int status, String body) {
        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    public Res get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Res(r.statusCode(), r.body());
    }

    public Res postJson(String url, String token, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return new Res(r.statusCode(), r.body());
    }

    /** True when {@code base/health/ready} answers 200. */
    public boolean ready(String base) {
        try {
            return get(base + "/health/ready", null).status() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The sum of every sample of a metric at {@code base/metrics}. */
    public double metric(String base, String name) throws IOException, InterruptedException {
        return Metrics.sum(get(base + "/metrics", null).body(), name);
    }

    /** One sample of a metric with a label, e.g. {@code metric(base, "aiot_x_total", "outcome=\"scored\"")}. */
    public double metric(String base, String name, String label) throws IOException, InterruptedException {
        return get(base + "/metrics", null).body().lines().filter(l -> l.startsWith(name + "{") && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
