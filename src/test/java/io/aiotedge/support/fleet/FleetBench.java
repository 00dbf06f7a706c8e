package io.aiotedge.support.fleet;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.support.NodeProcess;
import io.aiotedge.wire.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The fleet benchmark (scripts/bench-fleet.sh): the topology of FleetIT with N simulated motors,
 * then one node with every role on the same load, in the same run. Per setup: frames/s, raw frame
 * to alert latency (the alert's window timestamp, which is the frame's, to the platform broker's
 * receipt of the alert: {@code mqtt.receivedAt} on aiot.alerts), window to score latency
 * (aiot_inference_latency_seconds), consumer lag, loss (acknowledged frames not in aiot.raw),
 * per-node RSS and CPU.
 * {@code FleetBench --work-dir DIR [--motors 400] [--rate 2] [--seconds 60]}
 */
public final class FleetBench {
    private FleetBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("--motors", "400", "--rate", "2", "--seconds", "60"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        Path work = Path.of(a.get("--work-dir"));
        int motors = Integer.parseInt(a.get("--motors"));
        int rate = Integer.parseInt(a.get("--rate"));
        int seconds = Integer.parseInt(a.get("--seconds"));
        // the simulator publishes every motor on its one service connection (simulator.username), which the
        // bridge serves one publish at a time (docs/bridge.md): see docs/benchmarks.md for what that bounds
        List<String> sim = List.of("simulator.motors=" + motors, "simulator.framesPerSecond=" + rate,
                "simulator.onsetSeconds=0", "simulator.rampSeconds=6");
        // load settings both setups share: no broker-wide read budget, a first model even from early data
        List<String> platform = List.of("mqtt.limits.inboundBytesPerSecond=0", "pipeline.minAccuracy=0.5");
        BenchRun.Result fleet;
        try (Fleet f = new Fleet(work.resolve("fleet"))) {
            f.startKafka();
            f.startPlatform(platform);
            f.startInference("inf1");
            f.startInference("inf2");
            f.startGateway(motors, rate, sim.subList(2, sim.size()));
            System.out.println("fleet started (s): " + f.startSeconds());
            Map<String, Long> pids = new LinkedHashMap<>();
            f.kafka().brokers().forEach(b -> pids.put(b.name(), b.pid()));
            f.nodes().forEach((n, p) -> pids.put(n, p.pid()));
            fleet = new BenchRun(f.http(), f.platformUrl(), f.adminToken(), f.url("gateway"),
                    List.of(f.url("inf1"), f.url("inf2")), f.kafka().adminClient(), pids).measure(seconds);
        }
        BenchRun.Result solo = solo(work.resolve("solo"), sim, platform, seconds);
        System.out.println();
        System.out.printf(Locale.ROOT, "== fleet benchmark: %d motors at %d Hz, %d s measured%n", motors, rate,
                seconds);
        System.out.println(BenchRun.Result.HEADER);
        System.out.println(fleet.row("fleet (7 JVMs)"));
        System.out.println(solo.row("one node, all roles"));
        System.out.println("per node (fleet): " + fleet.perNode());
        System.out.println("per node (one node): " + solo.perNode());
        System.out.printf(Locale.ROOT, "ratios fleet/one: frames/s %.2f, alert p50 %.2f, RSS %.2f, CPU %.2f%n",
                fleet.framesPerSecond() / solo.framesPerSecond(), fleet.alertP50() / solo.alertP50(),
                (double) fleet.rssTotal() / solo.rssTotal(), fleet.cpuTotal() / solo.cpuTotal());
        System.exit(0);
    }

    private static BenchRun.Result solo(Path dir, List<String> sim, List<String> platform, int seconds)
            throws Exception {
        Path data = dir.resolve("node");
        Files.createDirectories(data);
        List<String> args = new ArrayList<>(List.of("run", "--role", "platform,things-gateway,inference",
                "--data-dir", data.toString()));
        List<String> sets = new ArrayList<>(List.of("mqtt.port=0", "http.port=0", "kafka.port=0",
                "mqtt.bindAddress=127.0.0.1", "http.bindAddress=127.0.0.1", "kafka.partitions=4",
                "mqtt.persistence=in-memory", "simulator.enabled=true", "gateway.aggregateSeconds=0"));
        sets.addAll(sim);
        sets.addAll(platform);
        sets.forEach(s -> args.addAll(List.of("--set", s)));
        try (NodeProcess node = NodeProcess.start(data, List.of("-Xmx1g", "-XX:+UseSerialGC"),
                args.toArray(String[]::new))) {
            JsonNode rt = node.awaitRuntime(Duration.ofSeconds(180));
            String url = "http://127.0.0.1:" + rt.path("ports").path("http").asInt();
            FleetHttp http = new FleetHttp();
            await().atMost(Duration.ofSeconds(120)).until(() -> http.ready(url));
            String token = Files.readString(data.resolve("keys/admin-token"), StandardCharsets.UTF_8).trim();
            Properties kafka = new Properties();
            kafka.put("bootstrap.servers", "127.0.0.1:" + rt.path("ports").path("kafka").asInt());
            return new BenchRun(http, url, token, url, List.of(url), kafka, Map.of("node", node.pid()))
                    .measure(seconds);
        }
    }

    static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }
}
