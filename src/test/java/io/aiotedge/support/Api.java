package io.aiotedge.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A small real HTTP client for the platform API (java.net.http), with multipart uploads. */
public final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String adminToken;

    public Api(String base, String adminToken) {
        this.base = base;
        this.adminToken = adminToken;
    }

    public String admin() {
        return adminToken;
    }

    public String base() {
        return base;
    }

    public record Res(int status, byte[] body, HttpResponse<byte[]> raw) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + text(), e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    public Res send(HttpRequest.Builder b) {
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Res(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Res get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Res delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    public Res postJson(String path, String token, String json) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Res putJson(String path, String token, String json) {
        return send(request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Res postForm(String path, String token, String form) {
        return send(request(path, token).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** Parts: name -> String (a field), byte[] or {@link NamedFile} (a file part). */
    public Res postMultipart(String path, String token, Map<String, Object> parts) {
        String boundary = "----aiot" + System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, Object> p : parts.entrySet()) {
            write(out, "--" + boundary + "\r\n");
            if (p.getValue() instanceof NamedFile f) {
                write(out, "Content-Disposition: form-data; name=\"" + p.getKey() + "\"; filename=\"" + f.fileName()
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
                out.writeBytes(f.content());
            } else if (p.getValue() instanceof byte[] bytes) {
                write(out, "Content-Disposition: form-data; name=\"" + p.getKey() + "\"; filename=\"" + p.getKey()
                        + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n");
                out.writeBytes(bytes);
            } else {
                write(out, "Content-Disposition: form-data; name=\"" + p.getKey() + "\"\r\n\r\n" + p.getValue());
            }
            write(out, "\r\n");
        }
        write(out, "--" + boundary + "--\r\n");
        return send(request(path, token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
    }

    /** A file part with a chosen file name. */
    public record NamedFile(String fileName, byte[] content) {
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
