package io.aiotedge.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.clients.Trust;
import io.aiotedge.config.TrustConfig;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the platform what this node serves: every {@code inference.reportSeconds}, and soon after
 * a rollout message changed the candidate slot, a {@code POST /api/v1/nodes/<id>/report} with the
 * node token (docs/platform.md, "Node reports"): the champion and candidate versions, the slot's
 * state and load failures, and during a rollout the per-device {@link ShadowStats}. Counts are
 * cumulative for this process ({@code session}, random per start), so a lost or repeated report
 * costs nothing. A platform that does not answer is retried at the next period; its first refusal
 * is logged at WARN, later ones at DEBUG. Owns one thread, started and stopped with the component.
 */
final class NodeReporter {
    private static final Logger log = LoggerFactory.getLogger(NodeReporter.class);
    private static final Json JSON = Json.mapper();

    private final URI uri;
    private final String token;
    private final String model;
    private final Supplier<LoadedModel> champion;
    private final Supplier<CandidateSlot.Active> active;
    private final CandidateSlot slot;
    private final ShadowStats stats;
    private final HttpClient http;
    private final String session;
    private ScheduledExecutorService timer;
    private volatile String lastProblem;

    /** @param reportId the node id of {@code token} ({@code node:<id>.<secret>}), the path's id */
    NodeReporter(String platformUrl, String reportId, String token, String model, Supplier<LoadedModel> champion,
            CandidateSlot slot, ShadowStats stats, TrustConfig trust) {
        this(platformUrl, reportId, token, model, champion, slot::active, slot, stats, trust);
    }

    /** @param active what the slot serves (the slot's own {@link CandidateSlot#active}, or a test's) */
    NodeReporter(String platformUrl, String reportId, String token, String model, Supplier<LoadedModel> champion,
            Supplier<CandidateSlot.Active> active, CandidateSlot slot, ShadowStats stats, TrustConfig trust) {
        String base = platformUrl.endsWith("/") ? platformUrl.substring(0, platformUrl.length() - 1) : platformUrl;
        this.uri = URI.create(base + "/api/v1/nodes/" + reportId + "/report");
        this.token = token;
        this.model = model;
        this.champion = champion;
        this.active = active;
        this.slot = slot;
        this.stats = stats;
        this.http = Trust.http(trust).connectTimeout(Duration.ofSeconds(10)).build();
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        this.session = HexFormat.of().formatHex(b);
    }

    void start(int seconds) {
        timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("inference-report"));
        timer.scheduleWithFixedDelay(this::sendQuietly, seconds, seconds, TimeUnit.SECONDS);
    }

    /** A report now (the slot changed), besides the periodic ones. */
    void soon() {
        ScheduledExecutorService t = timer;
        if (t != null && !t.isShutdown()) {
            t.execute(this::sendQuietly);
        }
    }

    /** The report body as the platform takes it. */
    ObjectNode report() {
        ObjectNode r = JSON.createObjectNode().put("schemaVersion", 1).put("session", session).put("model", model);
        ObjectNode s = r.putObject("serving");
        LoadedModel c = champion.get();
        CandidateSlot.Active a = active.get();
        if (c == null) {
            s.putNull("champion");
        } else {
            s.put("champion", c.version());
        }
        if (a == null) {
            s.putNull("candidate");
        } else {
            s.put("candidate", a.model().version());
        }
        String rollout = a != null ? a.rolloutId() : "failed".equals(slot.state()) ? slot.lastRollout() : "";
        s.put("rolloutId", rollout).put("stage", a == null ? "" : a.stage())
                .put("candidateState", a != null ? "loaded" : slot.state())
                .put("detail", slot.detail()).put("loadFailures", slot.loadFailures());
        if (a != null && a.rolloutId().equals(stats.rolloutId())) {
            r.set("devices", stats.report());
        } else {
            r.putArray("devices");
        }
        return r;
    }

    private void sendQuietly() {
        try {
            int status = send();
            if (status / 100 != 2) {
                problem("HTTP " + status);
            } else {
                lastProblem = null;
            }
        } catch (IOException e) {
            problem(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            problem(e.toString());
        }
    }

    /** Sends one report; the HTTP status. */
    int send() throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(report())));
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void problem(String what) {
        if (!what.equals(lastProblem)) {
            log.warn("Node report to {} not taken: {}", uri, what);
        } else {
            log.debug("Node report to {} not taken: {}", uri, what);
        }
        lastProblem = what;
    }

    void stop() throws InterruptedException {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
            t.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** The id in a {@code node:<id>.<secret>} token, or null. */
    static String idOf(String token) {
        if (token == null || !token.startsWith("node:")) {
            return null;
        }
        int dot = token.lastIndexOf('.');
        return dot > "node:".length() ? token.substring("node:".length(), dot) : null;
    }
}
