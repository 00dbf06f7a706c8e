package io.aiotedge.support.fleet;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** One measured setup of FleetBench: warm-up (a model shipped to every inference node), then a window. */
final class BenchRun {
    private final FleetHttp http;
    private final String platform;
    private final String token;
    private final String simulator;
    private final List<String> inference;
    private final Properties kafka;
    private final Map<String, Long> pids;

    BenchRun(FleetHttp http, String platform, String token, String simulator, List<String> inference,
            Properties kafka, Map<String, Long> pids) {
        this.http = http;
        this.platform = platform;
        this.token = token;
        this.simulator = simulator;
        this.inference = inference;
        this.kafka = kafka;
        this.pids = pids;
    }

    /** What one setup measured. Latencies in ms, RSS in MiB, CPU in cores (CPU seconds per second). */
    record Result(double framesPerSecond, double alertP50, double alertP99, int alerts, double scoreP50,
            double scoreP99, double maxLag, double meanLag, long loss, long published, Map<String, Long> rss,
            Map<String, Double> cpu) {
        static final String HEADER = "| setup | frames/s | frame->alert p50 / p99 ms (alerts) | window->score p50 / p99 ms"
                + " | lag max / mean | lost / acknowledged | RSS MiB | CPU cores |";

        String row(String name) {
            return String.format(Locale.ROOT,
                    "| %s | %.0f | %.0f / %.0f (%d) | %.0f / %.0f | %.0f / %.1f | %d / %d | %d | %.2f |",
                    name, framesPerSecond, alertP50, alertP99, alerts, scoreP50, scoreP99, maxLag, meanLag, loss,
                    published, rssTotal(), cpuTotal());
        }

        long rssTotal() {
            return rss.values().stream().mapToLong(Long::longValue).sum();
        }

        double cpuTotal() {
            return cpu.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        String perNode() {
            StringBuilder b = new StringBuilder();
            rss.forEach((n, r) -> b.append(String.format(Locale.ROOT, "%s %d MiB %.2f cores; ", n, r, cpu.get(n))));
            return b.toString();
        }
    }

    Result measure(int seconds) throws Exception {
        shipModel();
        try (TopicReader alerts = new TopicReader(kafka, "aiot.alerts");
                TopicReader raw = new TopicReader(kafka, "aiot.raw")) {
            alerts.readToEnd();
            double published0 = published();
            Map<String, Double> cpu0 = cpu();
            long t0 = System.nanoTime();
            double maxLag = 0;
            double lagSum = 0;
            for (int i = 0; i < seconds; i++) {
                Thread.sleep(1000);
                double lag = 0;
                for (String u : inference) {
                    lag += http.metric(u, "aiot_inference_consumer_lag");
                }
                maxLag = Math.max(maxLag, lag);
                lagSum += lag;
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double published1 = published();
            Map<String, Double> cpu1 = cpu();
            Map<String, Long> rss = new LinkedHashMap<>();
            Map<String, Double> cores = new LinkedHashMap<>();
            pids.forEach((n, pid) -> {
                rss.put(n, ProcStats.rssMiB(pid));
                cores.put(n, (cpu1.get(n) - cpu0.get(n)) / elapsed);
            });
            double scoreP50 = 0;
            double scoreP99 = 0;
            for (String u : inference) {
                scoreP50 = Math.max(scoreP50,
                        1000 * http.metric(u, "aiot_inference_latency_seconds", "quantile=\"0.5\""));
                scoreP99 = Math.max(scoreP99,
                        1000 * http.metric(u, "aiot_inference_latency_seconds", "quantile=\"0.99\""));
            }
            List<Double> latencies = alertLatencies(alerts);
            Set<String> frames = new HashSet<>();
            raw.readToEnd().forEach(r -> frames.add(r.frameKey()));
            long loss = Math.max(0, (long) published1 - frames.size());
            return new Result((published1 - published0) / elapsed, pct(latencies, 0.5), pct(latencies, 0.99),
                    latencies.size(), scoreP50, scoreP99, maxLag, lagSum / seconds, loss, (long) published1, rss,
                    cores);
        }
    }

    /**
     * Runs the pipeline until a run ships a model (the first runs fail validation while the faults
     * are too young to be labelled), then waits for every inference node to serve it.
     */
    private void shipModel() throws Exception {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(
                () -> http.get(platform + "/api/v1/datastore/stats", token).json().get("rows").asInt() >= 2000);
        await().atMost(Duration.ofSeconds(400)).pollInterval(Duration.ofSeconds(5)).until(this::pipelineRunSucceeds);
        for (String u : inference) {
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                    .until(() -> http.metric(u, "aiot_inference_model_version") >= 1.0);
        }
    }

    private boolean pipelineRunSucceeds() throws Exception {
        String url = platform + http.postJson(platform + "/api/v1/pipeline/runs", token, "{}").json().get("url")
                .asText();
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            String s = http.get(url, token).json().get("status").asText();
            return s.equals("succeeded") || s.equals("failed") || s.equals("skipped");
        });
        return http.get(url, token).json().get("status").asText().equals("succeeded");
    }

    private double published() throws Exception {
        return http.metric(simulator, "aiot_simulator_frames_total", "outcome=\"published\"");
    }

    private Map<String, Double> cpu() {
        Map<String, Double> out = new LinkedHashMap<>();
        pids.forEach((n, pid) -> out.put(n, ProcStats.cpuSeconds(pid)));
        return out;
    }

    /** Frame time (the alert's window timestamp) to the platform broker's receipt of the alert, ms. */
    private static List<Double> alertLatencies(TopicReader alerts) throws Exception {
        List<Double> out = new ArrayList<>();
        for (TopicReader.Rec r : alerts.readToEnd()) {
            JsonNode a = FleetBench.json(r.text());
            if (a.path("type").asText().equals("condition") && r.receivedAt() > 0) {
                out.add((double) (r.receivedAt() - a.path("timestamp").asLong()));
            }
        }
        Collections.sort(out);
        return out;
    }

    private static double pct(List<Double> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN
                : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }
}
