package io.aiotedge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.HttpConfig;
import io.aiotedge.core.BoundPorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's files as the server sends them: paths, cache and security headers, gzip, size. */
class ConsoleModuleTest {
    /** The budget for shipped JS + CSS, gzipped. */
    private static final int BUDGET_GZIPPED = 300 * 1024;

    private final BoundPorts ports = new BoundPorts();
    private final HttpClient client = HttpClient.newHttpClient();
    private final ConsoleModule console = new ConsoleModule();
    private HttpComponent http;

    @BeforeEach
    void start() {
        http = new HttpComponent(new HttpConfig("127.0.0.1", 0, 1024 * 1024, null, ""), ports, Map::of, () -> "",
                List.of(console), 1);
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get("http") + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void root_redirectsToTheConsole() throws Exception {
        HttpResponse<byte[]> r = get("/");
        assertEquals(302, r.statusCode());
        assertEquals("/console/", r.headers().firstValue("Location").orElse(""));
    }

    @Test
    void page_isNeverCached_carriesTheCsp_andLinksTheVersionedAssets() throws Exception {
        HttpResponse<byte[]> r = get("/console/");
        assertEquals(200, r.statusCode());
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""));
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'")
                && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), csp);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""));
        String html = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("/console/" + console.version() + "/app.js"), html);
        assertTrue(html.contains("/webjars/uplot/" + console.uplotVersion() + "/dist/uPlot.iife.min.js"), html);
        assertFalse(html.contains("http://") || html.contains("https://"), "no off-site resource: " + html);
    }

    @Test
    void everyAssetTheConsoleLoads_isServedGzipped_andCachedForAYear() throws Exception {
        HttpResponse<byte[]> page = get("/console/");
        Matcher m = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"")
                .matcher(new String(page.body(), StandardCharsets.UTF_8));
        int checked = 0;
        while (m.find()) {
            HttpResponse<byte[]> r = get(m.group(1), "Accept-Encoding", "gzip");
            assertEquals(200, r.statusCode(), m.group(1));
            // ours: 31536000 s, immutable; Javalin's WebJars: 31622400 s
            assertTrue(r.headers().firstValue("Cache-Control").orElse("").matches(".*max-age=31[56]\\d{5}.*"),
                    m.group(1) + " " + r.headers().map());
            assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(""), m.group(1));
            assertTrue(gunzip(r.body()).length > 0, m.group(1));
            checked++;
        }
        assertEquals(4, checked, "uPlot's script and style, app.js, app.css");
        HttpResponse<byte[]> module = get("/console/" + console.version() + "/fleet.js");
        assertEquals(200, module.statusCode());
        assertTrue(module.headers().firstValue("Content-Type").orElse("").contains("javascript"),
                module.headers().map().toString());
        assertEquals(404, get("/console/" + console.version() + "/missing.js").statusCode());
    }

    @Test
    void shippedScriptsAndStyles_stayUnder300KbGzipped_andNeverWriteMarkup() throws Exception {
        long total = 0;
        for (Map.Entry<String, byte[]> e : console.assetFiles().entrySet()) {
            total += gzip(e.getValue());
            String src = new String(e.getValue(), StandardCharsets.UTF_8);
            assertFalse(src.contains("innerHTML") || src.contains("outerHTML") || src.contains("insertAdjacentHTML")
                    || src.contains("document.write") || src.contains("eval("), e.getKey() + " writes markup");
        }
        String uplot = "/webjars/uplot/" + console.uplotVersion() + "/dist/";
        total += gzip(get(uplot + "uPlot.iife.min.js").body()) + gzip(get(uplot + "uPlot.min.css").body());
        System.out.printf(java.util.Locale.ROOT, "console JS+CSS gzipped: %d bytes%n", total);
        assertTrue(total < BUDGET_GZIPPED, total + " bytes gzipped");
    }

    private static int gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.size();
    }

    private static byte[] gunzip(byte[] data) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }
}
