package io.aiotedge.bench;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.KeyFiles;
import io.aiotedge.core.NodeRole;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.runtime.Node;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code aiot-edge bench latency}: telemetry -> score latency of the inference role with N
 * simulated devices at R Hz (published over MQTT to a platform+inference node; latency from the
 * window's timestamp to its score, the inference's own p50/p99 timer), against the bare broker
 * in the same run: the same load to a plain subscriber measuring publish -> delivery.
 */
public final class LatencyBench {
    private static final List<String> FEATURES = List.of("vibration_rms", "current_rms");

    private final Path work;
    private final int devices;
    private final double hz;
    private final int seconds;
    private final Consumer<String> out;

    public LatencyBench(Path work, int devices, double hz, int seconds, Consumer<String> out) {
        this.work = work;
        this.devices = devices;
        this.hz = hz;
        this.seconds = seconds;
        this.out = out;
    }

    public void run() throws Exception {
        String hash = new PasswordHasher(new SecureRandom(), 10_000).hash("bench-pw".toCharArray());
        NodeConfig c = new ConfigLoader(k -> null).load(null, List.of("dataDir=" + work, "http.port=0", "mqtt.port=0",
                "kafka.mode=off", "http.bindAddress=127.0.0.1", "mqtt.bindAddress=127.0.0.1",
                "mqtt.limits.inboundBytesPerSecond=0", "mqtt.users=[{username: bench, passwordHash: \"" + hash
                        + "\", role: admin}]",
                "inference.username=bench", "inference.password=bench-pw",
                "pipeline.enabled=false", "datastore.ingest=false")).config();
        Node node = new Node(c, Set.of(NodeRole.PLATFORM, NodeRole.INFERENCE));
        node.start();
        try {
            int mqtt = node.ports().get("mqtt");
            int http = node.ports().get("http");
            shipModel(http, Files.readString(new KeyFiles(work).adminToken()).trim());
            waitForModel(http);
            double[] bare = load(mqtt, "bench/bare/", true);
            load(mqtt, "aiot/v1/things/", false);
            double[] inf = inferenceQuantiles(http);
            out.accept("| path | devices x Hz | p50 ms | p99 ms | p99 ratio |");
            out.accept("|---|---|---|---|---|");
            out.accept(String.format(Locale.ROOT,
                    "| broker only (publish -> subscriber) | %d x %.0f | %.1f | %.1f | 1.00x |", devices, hz,
                    bare[0], bare[1]));
            out.accept(String.format(Locale.ROOT,
                    "| telemetry -> score (broker + inference) | %d x %.0f | %.1f | %.1f | %.2fx |",
                    devices, hz, inf[0], inf[1], inf[1] / Math.max(bare[1], 0.001)));
        } finally {
            node.stop();
        }
    }

    /** Publishes {@code devices x hz} windows for {@code seconds}; returns the subscriber's p50/p99 when asked. */
    private double[] load(int port, String prefix, boolean measure) throws Exception {
        int clients = 8;
        List<Mqtt5AsyncClient> pubs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            pubs.add(client(port, "bench-pub-" + prefix.hashCode() + "-" + i));
        }
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        Mqtt5AsyncClient sub = null;
        TelemetryCodec codec = new TelemetryCodec();
        if (measure) {
            sub = client(port, "bench-sub");
            sub.publishes(MqttGlobalPublishFilter.ALL, p -> {
                try {
                    latencies.add(System.currentTimeMillis() - codec.decode(p.getPayloadAsBytes()).timestampMillis());
                } catch (Exception ignored) {
                    // not ours
                }
            });
            sub.subscribeWith().topicFilter(prefix + "#").qos(MqttQos.AT_MOST_ONCE).send().get(10, TimeUnit.SECONDS);
        }
        out.accept(String.format(Locale.ROOT, "%s: %d devices at %.0f Hz for %d s ...",
                measure ? "broker only" : "inference",
                devices, hz, seconds));
        ScheduledExecutorService tick = Executors.newScheduledThreadPool(2);
        long[] seq = new long[devices];
        long periodMicros = (long) (1_000_000 / hz);
        for (int d = 0; d < devices; d++) {
            int dev = d;
            Mqtt5AsyncClient pub = pubs.get(d % clients);
            tick.scheduleAtFixedRate(() -> {
                double vib = 0.3 + 0.1 * Math.sin(seq[dev] * 0.1);
                Telemetry t = new Telemetry("dev-" + dev, System.currentTimeMillis(), seq[dev]++, FEATURES,
                        new double[] {vib, 2.0}, null);
                String topic = prefix + "dev-" + dev + (prefix.startsWith("aiot") ? "/telemetry" : "");
                pub.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE).payload(codec.encode(t)).send();
            }, (long) (Math.random() * periodMicros), periodMicros, TimeUnit.MICROSECONDS);
        }
        Thread.sleep(seconds * 1000L);
        tick.shutdownNow();
        tick.awaitTermination(5, TimeUnit.SECONDS);
        Thread.sleep(500);
        for (Mqtt5AsyncClient p : pubs) {
            p.disconnect().get(5, TimeUnit.SECONDS);
        }
        if (sub != null) {
            sub.disconnect().get(5, TimeUnit.SECONDS);
        }
        long[] l = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(l);
        if (l.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        out.accept("  delivered " + l.length + " of " + (long) (devices * hz * seconds) + " windows");
        return new double[] {l[l.length / 2], l[Math.min(l.length - 1, (int) (l.length * 0.99))]};
    }

    private static Mqtt5AsyncClient client(int port, String id) throws Exception {
        Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port)
                .simpleAuth().username("bench").password("bench-pw".getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildAsync();
        c.connect().get(10, TimeUnit.SECONDS);
        return c;
    }

    private static void shipModel(int http, String token) throws Exception {
        byte[] model = TfliteExporter.floatModel(new DenseNet(List.of(new DenseNet.Layer(new float[][] {{20f, 0f}},
                new float[] {-10f}, false))), "latency bench");
        String boundary = "----bench";
        byte[] head = ("--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.tflite\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n"
                + "{\"inputSchema\":{\"features\":[\"vibration_rms\",\"current_rms\"]}}\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + model.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(model, 0, body, head.length, model.length);
        System.arraycopy(tail, 0, body, head.length + model.length, tail.length);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + http + "/api/v1/models/motor-condition/versions?alias=champion"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("model upload failed: " + r.body());
        }
    }

    private static void waitForModel(int http) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            if (metric(http, "aiot_inference_model_version ") >= 1) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the inference role did not load the model");
    }

    private static double[] inferenceQuantiles(int http) throws Exception {
        return new double[] {metric(http, "aiot_inference_latency_seconds{quantile=\"0.5\"}") * 1000,
                metric(http, "aiot_inference_latency_seconds{quantile=\"0.99\"}") * 1000};
    }

    private static double metric(int http, String prefix) throws Exception {
        String m = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return m.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(
                l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }
}
