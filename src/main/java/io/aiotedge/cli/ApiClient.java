package io.aiotedge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.clients.Trust;
import io.aiotedge.config.TrustConfig;
import io.aiotedge.core.ConfigException;
import io.aiotedge.core.EdgeException;
import io.aiotedge.core.KeyFiles;
import io.aiotedge.wire.Json;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How the CLI's API clients find the platform: {@code --url} (else the HTTP port in
 * {@code <data-dir>/runtime.json}, https when its listener speaks TLS, else http://localhost:8080) and the token: {@code --token -}
 * reads it from the first line of standard input, else {@code $AIOT_TOKEN}, else
 * {@code $AIOT_ADMIN_TOKEN}, else {@code <data-dir>/keys/admin-token}. {@code --token VALUE}
 * still works but puts the token on the command line, where {@code ps} shows it to every user
 * of the host, so it warns.
 * An https platform is trusted through {@code --trust-store} (the plant CA's
 * {@code truststore.p12}), else through the JVM's trust store.
 */
final class ApiClient {
    private static final Json JSON = Json.mapper();

    @Option(names = "--url",
            description = "Platform API base URL (default: from <data-dir>/runtime.json, else http://localhost:8080).")
    String url;

    static final String TOKEN_ENV = "AIOT_TOKEN";
    static final String ADMIN_TOKEN_ENV = "AIOT_ADMIN_TOKEN";

    @Option(names = "--token", paramLabel = "TOKEN|-", description = "Bearer token; '-' reads it from standard input. "
            + "A value here is visible to other users in ps: prefer $AIOT_TOKEN or '-'. "
            + "(default: $AIOT_TOKEN, else $AIOT_ADMIN_TOKEN, else <data-dir>/keys/admin-token).")
    String token;

    @Option(names = "--data-dir",
            description = "The platform's data directory, for the defaults above (default: ${DEFAULT-VALUE}).",
            defaultValue = "data")
    Path dataDir;

    @Option(names = "--trust-store", paramLabel = "FILE", description = "PKCS#12/JKS trust store for an https "
            + "platform, e.g. the truststore.p12 of 'certs ca' (default: the JVM's trust store).")
    Path trustStore;

    @Option(names = "--trust-store-password-file", paramLabel = "FILE",
            description = "The trust store's password (default: the store-password file next to it).")
    Path trustStorePasswordFile;

    private HttpClient http;

    /** The HTTP client, trusting {@code --trust-store} when given; built on first use. */
    private HttpClient http() {
        if (http == null) {
            http = Trust.http(trust()).connectTimeout(Duration.ofSeconds(10)).build();
        }
        return http;
    }

    private TrustConfig trust() {
        if (trustStore == null) {
            return TrustConfig.JVM;
        }
        Path pwFile = trustStorePasswordFile != null ? trustStorePasswordFile
                : trustStore.toAbsolutePath().resolveSibling("store-password");
        String pw;
        try {
            pw = Files.readString(pwFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException("--trust-store-password-file: cannot read " + pwFile + ": " + e.getMessage());
        }
        TrustConfig trust = new TrustConfig(trustStore, pw);
        try {
            trust.load(); // a wrong password or a key-only store is named here, not as a handshake failure
        } catch (ConfigException e) {
            throw new ConfigException("--trust-store: " + e.problems().get(0).replaceFirst("^tls\\.\\w+: ", ""));
        }
        return trust;
    }

    String base() throws IOException {
        if (url != null) {
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
        Path runtime = dataDir.resolve("runtime.json");
        if (Files.exists(runtime)) {
            JsonNode info = JSON.readTree(runtime.toFile());
            JsonNode port = info.path("ports").path("http");
            if (port.isInt()) {
                return (httpsListener(info) ? "https" : "http") + "://localhost:" + port.asInt();
            }
        }
        return "http://localhost:8080";
    }

    /** Whether runtime.json's {@code listeners} says the HTTP listener speaks TLS. */
    private static boolean httpsListener(JsonNode info) {
        for (JsonNode l : info.path("listeners")) {
            if (l.path("name").asText().equals("http")) {
                return l.path("tls").asBoolean();
            }
        }
        return false;
    }

    private String resolvedToken;

    String token() throws IOException {
        if (resolvedToken == null) {
            resolvedToken = findToken();
        }
        return resolvedToken;
    }

    private String findToken() throws IOException {
        if ("-".equals(token)) {
            return readStdinToken();
        }
        if (token != null) {
            System.err.println("warning: --token puts the token where ps shows it to every user of this host; "
                    + "use $" + TOKEN_ENV + " or --token - (standard input)");
            return token;
        }
        for (String name : new String[] {TOKEN_ENV, ADMIN_TOKEN_ENV}) {
            String env = System.getenv(name);
            if (env != null && !env.isBlank()) {
                return env.trim();
            }
        }
        Path f = new KeyFiles(dataDir).adminToken();
        if (Files.exists(f)) {
            return Files.readString(f, StandardCharsets.UTF_8).trim();
        }
        return null;
    }

    private static String readStdinToken() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null || line.isBlank()) {
            throw new IOException("--token -: no token on standard input");
        }
        return line.trim();
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return send(builder(path).GET());
    }

    /** The body as JSON, or null on 404. */
    JsonNode getOrNull(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http().send(builder(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 404 ? null : body(r);
    }

    /** The body as bytes (a model download). */
    byte[] getBytes(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http().send(builder(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() >= 400) {
            throw new ApiError("HTTP " + r.statusCode() + " for " + path);
        }
        return r.body();
    }

    JsonNode postJson(String path, String body) throws IOException, InterruptedException {
        return send(builder(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    JsonNode putJson(String path, String body) throws IOException, InterruptedException {
        return send(builder(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A multipart upload of one file part and one text field. */
    JsonNode upload(String path, Path file, String fieldName, String fieldValue)
            throws IOException, InterruptedException {
        return upload(path, file.getFileName().toString(), Files.readAllBytes(file), fieldName, fieldValue);
    }

    /** A multipart upload of one file part (given as bytes) and one text field. */
    JsonNode upload(String path, String fileName, byte[] content, String fieldName, String fieldValue)
            throws IOException, InterruptedException {
        String boundary = "----aiot-edge-" + System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        String field = "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fieldName + "\"\r\n\r\n"
                + fieldValue + "\r\n--" + boundary + "--\r\n";
        out.writeBytes(field.getBytes(StandardCharsets.UTF_8));
        return send(builder(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
    }

    private HttpRequest.Builder builder(String path) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofMinutes(5));
        String t = token();
        if (t != null) {
            b.header("Authorization", "Bearer " + t);
        }
        return b;
    }

    private JsonNode send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return body(http().send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static JsonNode body(HttpResponse<String> r) throws IOException {
        JsonNode body = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        if (r.statusCode() >= 400) {
            throw new ApiError("HTTP " + r.statusCode() + ": " + body.path("message").asText(r.body()));
        }
        return body;
    }

    /** The API refused a call; the CLI prints the message alone and exits 1. */
    static final class ApiError extends EdgeException {
        ApiError(String message) {
            super(message);
        }
    }

    static String pretty(JsonNode n) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
    }
}
