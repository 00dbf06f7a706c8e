package io.aiotedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.aiotedge.config.TrustConfig;
import io.aiotedge.inference.ConditionTracker.Band;
import io.aiotedge.support.DocExamples;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node report against a real HTTP server, and its shape against docs/platform.md's example. */
class NodeReporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    HttpServer server;
    final LinkedBlockingQueue<String[]> posts = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            posts.add(new String[] {ex.getRequestMethod() + " " + ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Authorization"),
                    new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)});
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void report_duringCanary_postedWithNodeToken_fieldsAsDocumented() throws Exception {
        LoadedModel champion = ScoringRolloutTest.model(4, -12f, null);
        LoadedModel candidate = ScoringRolloutTest.model(5, 12f, null);
        CandidateSlot slot = new CandidateSlot(dir, null);
        ShadowStats stats = new ShadowStats(new SimpleMeterRegistry());
        stats.record("ro-1", new ShadowStats.Sample("motor-001", 5, 0.1f, Band.OK, false, 0.99f, Band.FAILURE, true,
                true, "healthy"));
        RolloutMessage r = new RolloutMessage("ro-1", "m", "canary", 2, null,
                new Targeting(Set.of("motor-001"), 0, Set.of(), "ro-1"), null, "");
        java.util.concurrent.atomic.AtomicReference<CandidateSlot.Active> active = new java.util.concurrent.atomic.AtomicReference<>(
                new CandidateSlot.Active(r, candidate));
        NodeReporter reporter = new NodeReporter("http://127.0.0.1:" + server.getAddress().getPort() + "/", "coral-1",
                "node:coral-1.s3cret", "m", () -> champion, active::get, slot, stats, TrustConfig.JVM);
        JsonNode body = JSON.readTree(reporter.report().toString());
        assertEquals(200, reporter.send());
        String[] post = posts.poll(10, TimeUnit.SECONDS);
        assertEquals("POST /api/v1/nodes/coral-1/report", post[0]);
        assertEquals("Bearer node:coral-1.s3cret", post[1]);
        JsonNode sent = JSON.readTree(post[2]);
        assertEquals(4, sent.path("serving").path("champion").asInt());
        assertEquals(5, sent.path("serving").path("candidate").asInt());
        assertEquals("ro-1", sent.path("serving").path("rolloutId").asText());
        assertEquals("canary", sent.path("serving").path("stage").asText());
        assertEquals(1, sent.path("devices").get(0).path("candidateFailureOnChampionOk").asInt());
        assertEquals(16, sent.path("session").asText().length());
        assertEquals(fields(DocExamples.read(Path.of("docs/platform.md")).get("node_report")), fields(body));
        active.set(null);
        JsonNode outside = reporter.report();
        assertTrue(outside.path("devices").isEmpty(), "outside a rollout: no devices");
        assertTrue(outside.path("serving").path("candidate").isNull());
        assertEquals("none", outside.path("serving").path("candidateState").asText());
        champion.close();
        candidate.close();
    }

    @Test
    void idOf_nodeToken_isItsId_elseNull() {
        assertEquals("coral-1", NodeReporter.idOf("node:coral-1.abc"));
        assertEquals("local-inference", NodeReporter.idOf("node:local-inference.x.y".replace(".x.y", ".y")));
        assertNull(NodeReporter.idOf("admin-token"));
        assertNull(NodeReporter.idOf(null));
    }

    private static Set<String> fields(JsonNode n) {
        Set<String> out = new TreeSet<>();
        walk("", n, out);
        return out;
    }

    private static void walk(String prefix, JsonNode n, Set<String> out) {
        if (n.isArray() && !n.isEmpty() && n.get(0).isObject()) {
            walk(prefix, n.get(0), out);
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(prefix + e.getKey());
            walk(prefix + e.getKey() + ".", e.getValue(), out);
        }
    }
}
