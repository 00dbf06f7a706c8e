package io.aiotedge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.config.HttpConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.Health;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpComponentTest {
    private final Map<String, Health> health = new LinkedHashMap<>();
    private final BoundPorts ports = new BoundPorts();
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpComponent http;

    @BeforeEach
    void start() {
        http = new HttpComponent(new HttpConfig("127.0.0.1", 0, 1024 * 1024, null, ""), ports, () -> Map.copyOf(health),
                () -> "# HELP up test\nup 1.0\n");
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get("http") + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ready_componentDown_is503NamingIt() throws Exception {
        health.put("http", Health.up());
        health.put("broker", Health.down("STARTING"));
        HttpResponse<String> r = get("/health/ready");
        assertEquals(503, r.statusCode());
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertEquals("DOWN", body.path("status").asText());
        assertEquals("STARTING", body.path("components").path("broker").path("detail").asText());
    }

    @Test
    void ready_allUpOrDegraded_is200() throws Exception {
        health.put("http", Health.up());
        health.put("bridge", Health.degraded("spooling"));
        assertEquals(200, get("/health/ready").statusCode());
    }

    @Test
    void ready_noComponents_is503() throws Exception {
        assertEquals(503, get("/health/ready").statusCode());
    }

    @Test
    void live_isAlways200() throws Exception {
        assertEquals(200, get("/health/live").statusCode());
    }

    @Test
    void metrics_isPrometheusText() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(r.body().contains("up 1.0"));
    }

    @Test
    void unknownPath_is404WithTheJsonErrorShape() throws Exception {
        HttpResponse<String> r = get("/no/such/thing");
        assertEquals(404, r.statusCode());
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertEquals(404, body.path("status").asInt());
        assertEquals("Not Found", body.path("error").asText());
        assertTrue(body.path("message").asText().contains("/no/such/thing"));
    }

    @Test
    void stopThenStart_rebindsAndReportsThePort() throws Exception {
        int first = ports.get("http");
        http.stop();
        assertEquals(-1, ports.get("http"));
        http.start();
        assertTrue(ports.get("http") > 0);
        assertEquals(200, get("/health/live").statusCode());
        assertTrue(first > 0);
    }
}
