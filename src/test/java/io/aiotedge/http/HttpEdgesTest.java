package io.aiotedge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.config.HttpConfig;
import io.aiotedge.core.BoundPorts;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 finding 12: what Jetty refuses itself (malformed request line, bad Host) and an
 * oversized form field answer in our JSON error shape with the right status, over real sockets.
 */
class HttpEdgesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BoundPorts ports = new BoundPorts();
    private HttpComponent http;

    @BeforeEach
    void start() {
        HttpModule form = app -> app.post("/form", ctx -> ctx.result("got " + ctx.formParam("f").length()));
        http = new HttpComponent(new HttpConfig("127.0.0.1", 0, 1024 * 1024, null, ""), ports, Map::of,
                () -> "", List.of(form), 8 * 1024 * 1024);
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    /** Sends {@code request} as is and returns the whole answer (status line, headers, body). */
    private String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", ports.get("http"))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0;) {
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static JsonNode assertJsonError(String answer, int status) throws Exception {
        assertTrue(answer.startsWith("HTTP/1.1 " + status), answer);
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
        assertTrue(head.contains("content-type: application/json"), answer);
        JsonNode body = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertEquals(status, body.path("status").asInt(), answer);
        assertTrue(body.has("error") && body.has("message"), answer);
        return body;
    }

    @Test
    void malformedRequestLine_is400InTheJsonErrorShape() throws Exception {
        assertJsonError(raw("GET /a b c d\r\nHost: x\r\n\r\n"), 400);
        assertJsonError(raw("\u0001\u0002garbage\r\n\r\n"), 400);
    }

    @Test
    void badHostHeader_is400InTheJsonErrorShape() throws Exception {
        assertJsonError(raw("GET /health/live HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n"), 400);
    }

    @Test
    void duplicateContentLength_is400InTheJsonErrorShape() throws Exception {
        assertJsonError(raw("POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\nab"), 400);
    }

    @Test
    void oversizedMultipartFormField_is413NotServiceUnavailable() throws Exception {
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n" + "x".repeat(300_000)
                + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + ports.get("http") + "/form"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode(), r.body());
        assertEquals(413, JSON.readTree(r.body()).path("status").asInt());
    }

    @Test
    void smallMultipartFormField_isParsed() throws Exception {
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nhello\r\n--" + boundary
                + "--\r\n";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + ports.get("http") + "/form"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("got 5", r.body());
    }
}
