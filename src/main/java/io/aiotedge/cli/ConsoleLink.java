package io.aiotedge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The console's address for {@code demo}: a one-time sign-in link made with the admin token
 * ({@code POST /api/v1/session/links}), so a new user opens the console without copying a token.
 */
final class ConsoleLink {
    private ConsoleLink() {
    }

    /** {@code http://localhost:<port>/console/signin?code=...}, or the plain console URL when no link can be made. */
    static String forDemo(int httpPort, Path adminTokenFile) {
        String base = "http://localhost:" + httpPort;
        try {
            String token = Files.readString(adminTokenFile, StandardCharsets.UTF_8).trim();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/session/links"))
                    .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode url = r.statusCode() == 201 ? Json.mapper().readTree(r.body()).get("url") : null;
            return url != null && url.asText().startsWith("/") ? base + url.asText() : base + "/console/";
        } catch (IOException e) {
            return base + "/console/";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return base + "/console/";
        }
    }
}
